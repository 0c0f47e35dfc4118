/*---
description: >
  Every loaded mention with its brand (tagged by the brands' keywords — the first keyword in the text — when
  the source gave none), engagement, language and sentiment. Sentiment comes from our multilingual scorer
  (warehouse/src/analytics/sentiment: es / pt / en, with negation; the build's analytics step), which also
  detects the language where the source gave none; the listening tool's own label stays in source_sentiment.
  Incremental: a build after a load scores only the mentions of that load. marts.mentions_scored adds the
  author's person and the text and permalink (kept only in raw.mentions, so the scored table stays small).
analytics: sentiment
materialized: incremental
unique_key: mention_id
columns:
  mention_id: Mention id (key).
  brand: Brand the mention is about.
  brand_from_keywords: True when the brand was tagged from the text's keywords.
  lang: Language (es, pt, en…) as given by the source, else as detected; null when neither.
  lang_detected: True when the language was detected from the text.
  sentiment_score: Our scorer's P(positive) − P(negative), in −1..1.
  sentiment_label: positive, neutral or negative (our scorer).
  sentiment_method: model (our scorer).
  source_sentiment: The listening tool's label, as delivered (kept beside ours).
tests:
  unique: [mention_id]
  not_null: [mention_id, network, posted_at, sentiment_label]
  accepted_values:
    sentiment_label: [positive, neutral, negative]
    sentiment_method: [model]
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
  nullif(lower(trim(l.lang)), '') AS lang,
  false AS lang_detected,
  -- Filled by the sentiment step right after this model runs (analytics: sentiment).
  CAST(NULL AS DOUBLE) AS sentiment_score,
  CAST(NULL AS VARCHAR) AS sentiment_label,
  CAST(NULL AS VARCHAR) AS sentiment_method,
  lower(l.source_sentiment) AS source_sentiment,
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
