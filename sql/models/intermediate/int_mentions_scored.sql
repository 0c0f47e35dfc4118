/*---
description: >
  Every loaded mention with its brand (staging.stg_mentions tags it by keywords when the source gave none),
  engagement, language and sentiment. Sentiment comes from our multilingual scorer
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
SELECT
  m.mention_id,
  m.brand,
  m.brand_from_keywords,
  coalesce(b.is_own, false) AS is_own_brand,
  m.network,
  m.posted_at,
  m.posted_date,
  m.lang,
  false AS lang_detected,
  -- Filled by the sentiment step right after this model runs (analytics: sentiment).
  CAST(NULL AS DOUBLE) AS sentiment_score,
  CAST(NULL AS VARCHAR) AS sentiment_label,
  CAST(NULL AS VARCHAR) AS sentiment_method,
  lower(m.source_sentiment) AS source_sentiment,
  m.likes,
  m.shares,
  m.comments,
  m.engagement,
  m.reach,
  m.is_owned,
  m.profile_id,
  m.author_handle
FROM staging.stg_mentions m
LEFT JOIN staging.stg_brands b ON b.brand = m.brand
WHERE {{ new_rows(m._load_id) }}
