/*---
description: Mentions as loaded. A mention without a brand gets the brand whose keyword appears first in its text.
materialized: view
---*/
WITH keyword AS (
  SELECT brand, lower(unnest(list_append(keywords, brand))) AS keyword FROM staging.stg_brands
),
tagged AS (
  SELECT m.mention_id, arg_min(k.brand, strpos(lower(m.text), k.keyword)) AS brand
  FROM raw.mentions m JOIN keyword k ON strpos(lower(m.text), k.keyword) > 0
  WHERE m.brand IS NULL
  GROUP BY m.mention_id
)
SELECT
  m.mention_id,
  lower(m.network) AS network,
  m.profile_id,
  m.author_handle,
  m.posted_at,
  CAST(m.posted_at AS DATE) AS posted_date,
  m.text,
  lower(m.lang) AS lang,
  coalesce(b.brand, t.brand) AS brand,
  m.brand IS NULL AND t.brand IS NOT NULL AS brand_from_keywords,
  coalesce(m.likes, 0) AS likes,
  coalesce(m.shares, 0) AS shares,
  coalesce(m.comments, 0) AS comments,
  coalesce(m.likes, 0) + coalesce(m.shares, 0) + coalesce(m.comments, 0) AS engagement,
  m.reach,
  m.url,
  m.source_sentiment,
  coalesce(m.is_owned, false) AS is_owned
FROM raw.mentions m
LEFT JOIN staging.stg_brands b ON lower(b.brand) = lower(m.brand)
LEFT JOIN tagged t ON t.mention_id = m.mention_id
