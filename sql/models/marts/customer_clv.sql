/*---
description: >
  Customer lifetime value per person with at least one sale, as of the build's as-of date. Historical CLV is
  net revenue to date (returns netted off). x, t_x and T are the inputs of the BG/NBD model in weeks, counted on
  purchase days (several orders on one day are one transaction), as in Fader, Hardie & Lee (2005): x = repeat
  purchase days, t_x = weeks from the first to the last purchase day, T = weeks from the first purchase day to
  the as-of date. The predictive columns are filled in the same build by the analytics step (warehouse/src/
  analytics/clv): BG/NBD for P(alive) and expected purchases, Gamma-Gamma for spend, CLV discounted monthly at
  clv_annual_discount_rate (sql/project.yaml); the fitted model is in marts.clv_model. They stay null when the
  data cannot support a fit (marts.clv_model says why).
columns:
  person_id: The person (see marts.identity_links; the anchoring customer_id).
  customer_id: CRM customer id (key).
  historical_clv: Net revenue to date (sales − returns).
  orders: Sales to date.
  first_order_date: Day of the first sale.
  last_order_date: Day of the latest sale.
  x: Repeat purchase days (distinct days with a sale, minus the first).
  t_x: Weeks from the first to the latest purchase day (recency in BG/NBD terms).
  T: Weeks from the first purchase day to the as-of date (age in BG/NBD terms).
  monetary_value: Mean sales per repeat purchase day (before returns), the Gamma-Gamma input; null when x = 0.
  p_alive: Probability the customer is still active (BG/NBD).
  expected_purchases_90d: Expected purchase days in the next 90 days (BG/NBD).
  expected_purchases_365d: Expected purchase days in the next 365 days (BG/NBD).
  expected_avg_spend: Expected spend per purchase (Gamma-Gamma).
  predicted_clv_12m: Predicted sales of the next 12 months, discounted monthly (revenue, not margin).
tests:
  unique: [customer_id]
  not_null: [person_id, customer_id, historical_clv, x, t_x, T]
  relationships:
    - { column: customer_id, to: staging.stg_customers, field: customer_id }
  no_rows:
    - name: t_x within [0, T] and x ≥ 0
      sql: SELECT * FROM marts.customer_clv WHERE x < 0 OR t_x < 0 OR t_x > "T"
analytics: clv
---*/
SELECT
  customer_id AS person_id,
  customer_id,
  revenue AS historical_clv,
  orders,
  first_order_date,
  last_order_date,
  x,
  t_x,
  "T",
  monetary_value,
  CAST(NULL AS DOUBLE) AS p_alive,
  CAST(NULL AS DOUBLE) AS expected_purchases_90d,
  CAST(NULL AS DOUBLE) AS expected_purchases_365d,
  CAST(NULL AS DECIMAL(18, 2)) AS expected_avg_spend,
  CAST(NULL AS DECIMAL(18, 2)) AS predicted_clv_12m
FROM intermediate.int_customer_orders
WHERE orders > 0
