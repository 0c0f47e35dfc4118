/*---
description: >
  One row per author profile that mentioned a brand of the competitor set, with reach, mentions, sentiment
  about our brand and an advocacy role, first rule that holds: detractor (≥ advocate_min_mentions mentions of
  our brand, net sentiment ≤ detractor_max_net_sentiment), ambassador (the same count, net sentiment ≥
  ambassador_min_net_sentiment), influencer (≥ influencer_min_followers followers), else none. The brands'
  own accounts get role "owned". Authors linked to a customer carry their person and CLV, and are ranked by
  it (clv_rank 1 = most valuable linked author). Thresholds live in sql/project.yaml.
columns:
  profile_id: Author's profile id (key).
  network: Social network.
  handle: Handle without "@".
  display_name: Name shown on the profile.
  followers: Followers of the profile.
  location: Location the profile gives.
  mentions: Mentions of any brand of the competitor set.
  own_brand_mentions: Mentions of our brand.
  reach: Sum of the reach of the author's mentions.
  engagement: Likes + shares + comments on the author's mentions.
  positive: Mentions of our brand labelled positive.
  negative: Mentions of our brand labelled negative.
  net_sentiment: (positive − negative) / (positive + negative) about our brand; null without labelled mentions.
  last_mention_at: Time of the author's latest mention.
  role: detractor, ambassador, influencer, owned or none (rules in the description).
  is_influencer: Followers ≥ influencer_min_followers, whatever the role.
  person_id: The linked person (customer), if any.
  clv: The person's CLV (predicted 12-month where available, else historical); null when not linked.
  clv_tier: The person's CLV tier.
  clv_rank: Rank by CLV among linked authors (1 = highest); null when not linked.
tests:
  unique: [profile_id]
  not_null: [profile_id, mentions, role]
  accepted_values:
    role: [detractor, ambassador, influencer, owned, none]
---*/
WITH by_author AS (SELECT * FROM intermediate.int_author_stats),
joined AS (
  SELECT a.*, p.network, p.handle, p.display_name, p.followers, p.location,
    (a.positive - a.negative) / nullif(a.positive + a.negative, 0) AS net_sentiment,
    l.person_id, s.clv, s.clv_tier
  FROM by_author a
  LEFT JOIN staging.stg_social_profiles p USING (profile_id)
  LEFT JOIN marts.identity_links l ON l.record_type = 'social_profile' AND l.record_id = a.profile_id
  LEFT JOIN marts.customer_segments s ON s.customer_id = l.person_id
)
SELECT
  profile_id, network, handle, display_name, followers, location,
  mentions, own_brand_mentions, reach, engagement, positive, negative, net_sentiment, last_mention_at,
  CASE
    WHEN is_owned THEN 'owned'
    WHEN own_brand_mentions >= {{ var('advocate_min_mentions') }} AND net_sentiment <= {{ var('detractor_max_net_sentiment') }} THEN 'detractor'
    WHEN own_brand_mentions >= {{ var('advocate_min_mentions') }} AND net_sentiment >= {{ var('ambassador_min_net_sentiment') }} THEN 'ambassador'
    WHEN coalesce(followers, 0) >= {{ var('influencer_min_followers') }} THEN 'influencer'
    ELSE 'none'
  END AS role,
  coalesce(followers, 0) >= {{ var('influencer_min_followers') }} AS is_influencer,
  person_id,
  clv,
  clv_tier,
  CASE WHEN person_id IS NOT NULL AND clv IS NOT NULL THEN rank() OVER (PARTITION BY person_id IS NOT NULL AND clv IS NOT NULL ORDER BY clv DESC) END AS clv_rank
FROM joined
