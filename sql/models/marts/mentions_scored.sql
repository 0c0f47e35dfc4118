/*---
description: >
  One row per mention up to the as-of date, with its brand (tagged by the brands' keywords when the source gave
  none), engagement, sentiment score and label, and the author's person where the profile is linked to a
  customer. Sentiment: the listening tool's label (score +1 / 0 / −1, method "source") until our multilingual
  scorer runs; the tool's own label always stays in source_sentiment.
columns:
  mention_id: Mention id from the listening tool (key).
  brand: Brand the mention is about.
  brand_from_keywords: True when the brand was tagged from the text's keywords.
  is_own_brand: True when the brand is ours.
  network: Social network.
  posted_at: Time of the post (UTC).
  posted_date: Day of the post (UTC).
  lang: Language code (es, pt, en…); null when unknown.
  text: Text of the mention.
  sentiment_score: Sentiment in −1..1; null when unknown.
  sentiment_label: positive, neutral or negative; null when unknown.
  sentiment_method: Where the label comes from (source = the listening tool).
  source_sentiment: The listening tool's own label, as delivered.
  likes: Likes.
  shares: Shares.
  comments: Comments.
  engagement: Likes + shares + comments.
  reach: Estimated reach.
  url: Permalink.
  is_owned: True for posts by the brand's own accounts.
  profile_id: Author's profile id.
  author_handle: Author's handle.
  person_id: The author's person when the profile is linked to a customer (marts.identity_links).
tests:
  unique: [mention_id]
  not_null: [mention_id, network, posted_at, engagement]
  accepted_values:
    sentiment_label: [positive, neutral, negative]
---*/
SELECT
  m.mention_id,
  m.brand,
  m.brand_from_keywords,
  coalesce(b.is_own, false) AS is_own_brand,
  m.network,
  m.posted_at,
  m.posted_date,
  m.lang,
  m.text,
  CASE m.source_sentiment WHEN 'positive' THEN 1.0 WHEN 'neutral' THEN 0.0 WHEN 'negative' THEN -1.0 END AS sentiment_score,
  CASE WHEN m.source_sentiment IN ('positive', 'neutral', 'negative') THEN m.source_sentiment END AS sentiment_label,
  CASE WHEN m.source_sentiment IN ('positive', 'neutral', 'negative') THEN 'source' END AS sentiment_method,
  m.source_sentiment,
  m.likes,
  m.shares,
  m.comments,
  m.engagement,
  m.reach,
  m.url,
  m.is_owned,
  m.profile_id,
  m.author_handle,
  l.person_id
FROM staging.stg_mentions m
LEFT JOIN staging.stg_brands b ON b.brand = m.brand
LEFT JOIN marts.identity_links l ON l.record_type = 'social_profile' AND l.record_id = m.profile_id
WHERE m.posted_date <= {{ as_of }}
