/*---
description: >
  Mentions per day × brand × network over the competitor set, with sentiment counts and each brand's share of
  voice (its mentions / mentions of all brands in the set, same day and network) and share of engagement
  (the same with likes + shares + comments). Sum the counts and divide to get shares over longer windows;
  do not average the daily shares. Sentiment is marts.mentions_scored's label. Incremental: a build after a
  load recomputes the days its mentions fall on.
materialized: incremental
unique_key: [date, brand, network]
columns:
  date: Calendar day (UTC).
  brand: Brand of the competitor set.
  network: Social network.
  is_own: True for our own brand.
  mentions: Mentions of the brand.
  engagement: Likes + shares + comments.
  reach: Sum of the mentions' reach.
  positive: Mentions labelled positive.
  neutral: Mentions labelled neutral.
  negative: Mentions labelled negative.
  unlabelled: Mentions without a sentiment label.
  share_of_voice: mentions / mentions of all brands (same day and network).
  share_of_engagement: engagement / engagement of all brands (same day and network).
tests:
  unique: [[date, brand, network]]
  not_null: [date, brand, network, mentions]
  no_rows:
    - name: shares add up to one per day and network
      sql: SELECT date, network FROM marts.share_of_voice_daily GROUP BY ALL HAVING abs(sum(share_of_voice) - 1) > 1e-9
---*/
WITH affected AS (
  SELECT DISTINCT CAST(posted_at AS DATE) AS date FROM raw.mentions WHERE {{ new_rows(_load_id) }}
),
daily AS (
  SELECT
    m.posted_date AS date, m.brand, m.network, b.is_own,
    count(*) AS mentions,
    sum(m.engagement) AS engagement,
    coalesce(sum(m.reach), 0) AS reach,
    count(*) FILTER (WHERE m.sentiment_label = 'positive') AS positive,
    count(*) FILTER (WHERE m.sentiment_label = 'neutral') AS neutral,
    count(*) FILTER (WHERE m.sentiment_label = 'negative') AS negative,
    count(*) FILTER (WHERE m.sentiment_label IS NULL) AS unlabelled
  FROM intermediate.int_mentions_scored m
  JOIN staging.stg_brands b ON b.brand = m.brand
  WHERE {{ if_incremental(m.posted_date IN (SELECT date FROM affected)) }}
  GROUP BY ALL
)
SELECT *,
  mentions / sum(mentions) OVER day_network AS share_of_voice,
  coalesce(engagement / nullif(sum(engagement) OVER day_network, 0), 0) AS share_of_engagement
FROM daily
WINDOW day_network AS (PARTITION BY date, network)
