/*---
description: >
  Every loaded mention with its brand (tagged by the brands' keywords — the first keyword in the text — when
  the source gave none), engagement and sentiment. Sentiment: the listening tool's label (score +1 / 0 / −1,
  method "source") until our multilingual scorer runs. Incremental: a build after a load scores only the
  mentions of that load. marts.mentions_scored adds the author's person and the text and permalink (kept
  only in raw.mentions, so the scored table stays small).
materialized: incremental
unique_key: mention_id
columns:
  mention_id: Mention id (key).
  brand: Brand the mention is about.
  brand_from_keywords: True when the brand was tagged from the text's keywords.
  sentiment_score: Sentiment in −1..1; null when unknown.
  sentiment_label: positive, neutral or negative; null when unknown.
  sentiment_method: Where the label comes from (source = the listening tool).
tests:
  unique: [mention_id]
  not_null: [mention_id, network, posted_at]
  accepted_values:
    sentiment_label: [positive, neutral, negative]
---*/
WITH new_mentions AS (
  SELECT * FROM raw.mentions WHERE {{ new_rows(_load_id) }}
),
keyword AS (
  SELECT brand, lower(unnest(list_append(keywords, brand))) AS keyword FROM staging.stg_brands
),
tagged AS (
  SELECT m.mention_id, arg_min(k.brand, strpos(lower(m.text), k.keyword)) AS brand
  FROM new_mentions m JOIN keyword k ON strpos(lower(m.text), k.keyword) > 0
  WHERE m.brand IS NULL
  GROUP BY m.mention_id
),
labelled AS (
  SELECT m.*, coalesce(b.brand, t.brand) AS brand_resolved, t.brand IS NOT NULL AND m.brand IS NULL AS from_keywords,
    CASE WHEN lower(m.source_sentiment) IN ('positive', 'neutral', 'negative') THEN lower(m.source_sentiment) END AS label
  FROM new_mentions m
  LEFT JOIN staging.stg_brands b ON lower(b.brand) = lower(m.brand)
  LEFT JOIN tagged t ON t.mention_id = m.mention_id
)
SELECT
  l.mention_id,
  l.brand_resolved AS brand,
  l.from_keywords AS brand_from_keywords,
  coalesce(b.is_own, false) AS is_own_brand,
  lower(l.network) AS network,
  l.posted_at,
  CAST(l.posted_at AS DATE) AS posted_date,
  lower(l.lang) AS lang,
  CASE l.label WHEN 'positive' THEN 1.0 WHEN 'neutral' THEN 0.0 WHEN 'negative' THEN -1.0 END AS sentiment_score,
  l.label AS sentiment_label,
  CASE WHEN l.label IS NOT NULL THEN 'source' END AS sentiment_method,
  l.source_sentiment,
  coalesce(l.likes, 0) AS likes,
  coalesce(l.shares, 0) AS shares,
  coalesce(l.comments, 0) AS comments,
  coalesce(l.likes, 0) + coalesce(l.shares, 0) + coalesce(l.comments, 0) AS engagement,
  l.reach,
  coalesce(l.is_owned, false) AS is_owned,
  l.profile_id,
  l.author_handle
FROM labelled l
LEFT JOIN staging.stg_brands b ON b.brand = l.brand_resolved
