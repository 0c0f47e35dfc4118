/*---
description: >
  Mentions as loaded, cleaned. A mention without a brand gets the brand whose keyword appears first in its
  text (staging.stg_brands' keywords and names). The tagging is a per-row subquery, so a query that narrows
  this view to some rows (e.g. the new loads' mentions, by _load_id) tags only those.
materialized: view
---*/
WITH keyword AS (
  SELECT brand, lower(unnest(list_append(keywords, brand))) AS keyword FROM staging.stg_brands
),
tagged AS (
  SELECT m.*,
    coalesce(b.brand, CASE WHEN m.brand IS NULL THEN (
      SELECT arg_min(k.brand, strpos(lower(m.text), k.keyword)) FROM keyword k WHERE strpos(lower(m.text), k.keyword) > 0
    ) END) AS brand_resolved
  FROM raw.mentions m
  LEFT JOIN staging.stg_brands b ON lower(b.brand) = lower(m.brand)
)
SELECT
  mention_id,
  lower(network) AS network,
  profile_id,
  author_handle,
  posted_at,
  CAST(posted_at AS DATE) AS posted_date,
  text,
  nullif(lower(trim(lang)), '') AS lang,
  brand_resolved AS brand,
  brand IS NULL AND brand_resolved IS NOT NULL AS brand_from_keywords,
  coalesce(likes, 0) AS likes,
  coalesce(shares, 0) AS shares,
  coalesce(comments, 0) AS comments,
  coalesce(likes, 0) + coalesce(shares, 0) + coalesce(comments, 0) AS engagement,
  reach,
  url,
  source_sentiment,
  coalesce(is_owned, false) AS is_owned,
  _load_id
FROM tagged
