/*---
description: >
  Segments per person (every CRM customer). RFM: R = days since the latest sale, F = sales, M = net revenue,
  each scored 1..5 by quintile among buying customers (5 best; recency reversed; tied values share a score),
  and the R×F segment map (Champions, Loyal, Potential Loyalist, New, Promising, Need Attention, About to
  Sleep, At Risk, Can't Lose Them, Hibernating). Purchase-frequency segment, first rule that holds:
  one_time (a single sale); seasonal (≥ seasonal_min_history_days of history, purchases in ≥ 2 calendar years,
  day-of-year concentration ≥ seasonal_min_concentration); lapsed (repeat buyer, no sale for more than
  lapsed_days); frequent (trailing-12-month F quintile ≥ frequent_min_f12_score, ≥ frequent_min_occasions
  purchases that year, gap coefficient of variation ≤ frequent_max_gap_cv); sporadic (other repeat buyers);
  prospect (no sale yet). Thresholds live in sql/project.yaml. CLV tier: buying customers ranked by CLV
  (predicted 12-month CLV where the model has run, else historical) — platinum (top clv_tier_platinum_share),
  gold, silver, then bronze.
columns:
  person_id: The person (the anchoring customer_id).
  customer_id: CRM customer id (key).
  recency_days: Days from the latest sale to the as-of date.
  frequency: Sales to date.
  monetary: Net revenue to date.
  r_score: Recency quintile 1..5 (5 = most recent).
  f_score: Frequency quintile 1..5 (5 = most orders).
  m_score: Monetary quintile 1..5 (5 = highest revenue).
  rfm_cell: R and F scores, e.g. R5F4.
  rfm_segment: Segment of the R×F map.
  f12_score: Quintile 1..5 of sales in the trailing 12 months among customers with a sale in that year.
  frequency_segment: one_time, frequent, sporadic, seasonal, lapsed or prospect (rules in the description).
  seasonal_peak_month: Month (1..12) the seasonal customer buys around; null for other segments.
  clv: The CLV the tier is ranked on (predicted 12-month where available, else historical).
  clv_tier: platinum, gold, silver or bronze; null for prospects.
tests:
  unique: [customer_id]
  not_null: [person_id, customer_id, frequency_segment]
  accepted_values:
    frequency_segment: [one_time, frequent, sporadic, seasonal, lapsed, prospect]
    clv_tier: [platinum, gold, silver, bronze]
    rfm_segment: [Champions, Loyal, Potential Loyalist, New, Promising, Need Attention, About to Sleep, At Risk, "Can't Lose Them", Hibernating]
    r_score: [1, 2, 3, 4, 5]
    f_score: [1, 2, 3, 4, 5]
    m_score: [1, 2, 3, 4, 5]
  no_rows:
    - name: buyers have scores and a segment, prospects none
      sql: SELECT * FROM marts.customer_segments WHERE (frequency > 0) <> (rfm_segment IS NOT NULL AND r_score IS NOT NULL AND clv_tier IS NOT NULL)
---*/
WITH buyers AS (
  SELECT o.*, coalesce(v.predicted_clv_12m, v.historical_clv) AS clv FROM intermediate.int_customer_orders o
  JOIN marts.customer_clv v USING (customer_id)
  WHERE o.orders > 0
),
scored AS (
  SELECT customer_id,
    1 + floor(5 * (rank() OVER (ORDER BY recency_days DESC) - 1) / count(*) OVER ()) AS r_score,
    1 + floor(5 * (rank() OVER (ORDER BY orders) - 1) / count(*) OVER ()) AS f_score,
    1 + floor(5 * (rank() OVER (ORDER BY revenue) - 1) / count(*) OVER ()) AS m_score,
    percent_rank() OVER (ORDER BY clv DESC) AS clv_rank,
    clv
  FROM buyers
),
f12 AS (
  SELECT customer_id, 1 + floor(5 * (rank() OVER (ORDER BY orders_12m) - 1) / count(*) OVER ()) AS f12_score
  FROM buyers WHERE orders_12m > 0
),
segmented AS (
  SELECT c.*, s.r_score, s.f_score, s.m_score, s.clv, s.clv_rank, f.f12_score,
    CASE
      WHEN c.orders = 0 THEN 'prospect'
      WHEN c.orders = 1 THEN 'one_time'
      WHEN c.history_days >= {{ var('seasonal_min_history_days') }} AND c.occasion_years >= 2
           AND c.seasonal_concentration >= {{ var('seasonal_min_concentration') }} THEN 'seasonal'
      WHEN c.recency_days > {{ var('lapsed_days') }} THEN 'lapsed'
      WHEN f.f12_score >= {{ var('frequent_min_f12_score') }} AND c.occasions_12m >= {{ var('frequent_min_occasions') }}
           AND c.gap_cv_12m <= {{ var('frequent_max_gap_cv') }} THEN 'frequent'
      ELSE 'sporadic'
    END AS frequency_segment
  FROM intermediate.int_customer_orders c
  LEFT JOIN scored s USING (customer_id)
  LEFT JOIN f12 f USING (customer_id)
)
SELECT
  customer_id AS person_id,
  customer_id,
  recency_days,
  orders AS frequency,
  revenue AS monetary,
  CAST(r_score AS INTEGER) AS r_score,
  CAST(f_score AS INTEGER) AS f_score,
  CAST(m_score AS INTEGER) AS m_score,
  CASE WHEN r_score IS NOT NULL THEN 'R' || CAST(r_score AS INTEGER) || 'F' || CAST(f_score AS INTEGER) END AS rfm_cell,
  CASE
    WHEN r_score IS NULL THEN NULL
    WHEN r_score <= 2 THEN ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', 'Can''t Lose Them'][CAST(f_score AS INTEGER)]
    WHEN r_score = 3 THEN ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal', 'Loyal'][CAST(f_score AS INTEGER)]
    WHEN r_score = 4 THEN ['Promising', 'Potential Loyalist', 'Potential Loyalist', 'Loyal', 'Loyal'][CAST(f_score AS INTEGER)]
    ELSE ['New', 'Potential Loyalist', 'Potential Loyalist', 'Champions', 'Champions'][CAST(f_score AS INTEGER)]
  END AS rfm_segment,
  CAST(f12_score AS INTEGER) AS f12_score,
  frequency_segment,
  CASE WHEN frequency_segment = 'seasonal' THEN seasonal_peak_month END AS seasonal_peak_month,
  clv,
  CASE
    WHEN clv_rank IS NULL THEN NULL
    WHEN clv_rank < {{ var('clv_tier_platinum_share') }} THEN 'platinum'
    WHEN clv_rank < {{ var('clv_tier_platinum_share') }} + {{ var('clv_tier_gold_share') }} THEN 'gold'
    WHEN clv_rank < {{ var('clv_tier_platinum_share') }} + {{ var('clv_tier_gold_share') }} + {{ var('clv_tier_silver_share') }} THEN 'silver'
    ELSE 'bronze'
  END AS clv_tier
FROM segmented
