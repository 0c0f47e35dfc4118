/*---
description: >
  What each author profile said about the brands of the competitor set, over every loaded mention: mentions,
  reach, engagement, and labelled mentions of our brand. Incremental: a build after a load recomputes the
  authors of that load's mentions.
materialized: incremental
unique_key: profile_id
columns:
  profile_id: Author's profile id (key).
  mentions: Mentions of any brand of the competitor set.
  own_brand_mentions: Mentions of our brand.
  reach: Sum of the reach of the author's mentions.
  engagement: Likes + shares + comments on the author's mentions.
  positive: Mentions of our brand labelled positive.
  negative: Mentions of our brand labelled negative.
  is_owned: The author posts for a brand (its own account).
  last_mention_at: Time of the author's latest mention.
tests:
  unique: [profile_id]
---*/
WITH affected AS (
  SELECT DISTINCT profile_id FROM raw.mentions WHERE {{ new_rows(_load_id) }}
)
SELECT profile_id,
  count(*) AS mentions,
  count(*) FILTER (WHERE is_own_brand) AS own_brand_mentions,
  coalesce(sum(reach), 0) AS reach,
  sum(engagement) AS engagement,
  count(*) FILTER (WHERE is_own_brand AND sentiment_label = 'positive') AS positive,
  count(*) FILTER (WHERE is_own_brand AND sentiment_label = 'negative') AS negative,
  bool_or(is_owned) AS is_owned,
  max(posted_at) AS last_mention_at
FROM intermediate.int_mentions_scored
WHERE profile_id IS NOT NULL AND brand IS NOT NULL
  AND {{ if_incremental(profile_id IN (SELECT profile_id FROM affected)) }}
GROUP BY profile_id
