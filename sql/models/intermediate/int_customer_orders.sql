/*---
description: >
  Purchase history per CRM customer up to the build's as-of date — the inputs of RFM, purchase-frequency
  segments and CLV. A sale counts toward orders and revenue; a purchase occasion is a day with a sale or a
  cancelled order (the customer came to buy), which is what gap regularity and seasonality are measured on.
  Customers without any order are included with zero orders.
columns:
  customer_id: CRM customer id (key).
  first_order_date: Day of the first sale.
  last_order_date: Day of the latest sale.
  orders: Sales (returns and cancellations excluded).
  purchase_days: Distinct days with a sale.
  revenue: Net revenue to date (sales − returns).
  gross_revenue: Sales before returns.
  returns: Amount returned.
  orders_12m: Sales in the 365 days up to the as-of date.
  revenue_12m: Net revenue in the 365 days up to the as-of date.
  occasions_12m: Purchase occasions (days) in the 365 days up to the as-of date.
  gap_mean_days_12m: Mean days between consecutive purchase occasions of the last 365 days.
  gap_cv_12m: Coefficient of variation (sd / mean) of those gaps; low = regular. Null with fewer than 3 occasions.
  occasion_years: Distinct calendar years with a purchase occasion.
  seasonal_concentration: Mean resultant length (0..1) of the occasions' day-of-year angles; 1 = always the same date.
  seasonal_peak_month: Month of the occasions' mean day of the year.
  history_days: Days from sign-up (or the first order, if earlier) to the as-of date.
  recency_days: Days from the latest sale to the as-of date.
---*/
WITH o AS (
  SELECT customer_id, order_date, kind, net_revenue, gross_revenue, returns
  FROM marts.orders WHERE customer_id IS NOT NULL AND order_date <= {{ as_of }}
),
totals AS (
  SELECT customer_id,
    min(order_date) FILTER (WHERE kind = 'sale') AS first_order_date,
    max(order_date) FILTER (WHERE kind = 'sale') AS last_order_date,
    count(*) FILTER (WHERE kind = 'sale') AS orders,
    count(DISTINCT order_date) FILTER (WHERE kind = 'sale') AS purchase_days,
    sum(net_revenue) AS revenue, sum(gross_revenue) AS gross_revenue, sum(returns) AS returns,
    count(*) FILTER (WHERE kind = 'sale' AND order_date > {{ as_of }} - 365) AS orders_12m,
    coalesce(sum(net_revenue) FILTER (WHERE order_date > {{ as_of }} - 365), 0) AS revenue_12m,
    min(order_date) AS first_any_date
  FROM o GROUP BY customer_id
),
occasions AS (
  SELECT DISTINCT customer_id, order_date FROM o WHERE kind IN ('sale', 'cancelled')
),
angles AS (
  SELECT customer_id, order_date,
    2 * pi() * (dayofyear(order_date) - 1) / 365.25 AS angle,
    order_date - lag(order_date) OVER (PARTITION BY customer_id ORDER BY order_date) AS gap,
    lag(order_date) OVER (PARTITION BY customer_id ORDER BY order_date) > {{ as_of }} - 365 AS gap_in_12m
  FROM occasions
),
patterns AS (
  SELECT customer_id,
    count(*) FILTER (WHERE order_date > {{ as_of }} - 365) AS occasions_12m,
    avg(gap) FILTER (WHERE gap_in_12m) AS gap_mean_days_12m,
    CASE WHEN count(gap) FILTER (WHERE gap_in_12m) >= 2
         THEN stddev_pop(gap) FILTER (WHERE gap_in_12m) / nullif(avg(gap) FILTER (WHERE gap_in_12m), 0) END AS gap_cv_12m,
    count(DISTINCT year(order_date)) AS occasion_years,
    sqrt(avg(cos(angle)) ^ 2 + avg(sin(angle)) ^ 2) AS seasonal_concentration,
    atan2(avg(sin(angle)), avg(cos(angle))) AS mean_angle
  FROM angles GROUP BY customer_id
)
SELECT
  c.customer_id,
  t.first_order_date,
  t.last_order_date,
  coalesce(t.orders, 0) AS orders,
  coalesce(t.purchase_days, 0) AS purchase_days,
  CAST(coalesce(t.revenue, 0) AS DECIMAL(18, 2)) AS revenue,
  CAST(coalesce(t.gross_revenue, 0) AS DECIMAL(18, 2)) AS gross_revenue,
  CAST(coalesce(t.returns, 0) AS DECIMAL(18, 2)) AS returns,
  coalesce(t.orders_12m, 0) AS orders_12m,
  CAST(coalesce(t.revenue_12m, 0) AS DECIMAL(18, 2)) AS revenue_12m,
  coalesce(p.occasions_12m, 0) AS occasions_12m,
  p.gap_mean_days_12m,
  p.gap_cv_12m,
  coalesce(p.occasion_years, 0) AS occasion_years,
  p.seasonal_concentration,
  month(DATE '2001-01-01' + CAST(floor(((p.mean_angle + 2 * pi()) % (2 * pi())) / (2 * pi()) * 365) AS INTEGER)) AS seasonal_peak_month,
  {{ as_of }} - least(CAST(c.created_at AS DATE), t.first_any_date) AS history_days,
  {{ as_of }} - t.last_order_date AS recency_days
FROM staging.stg_customers c
LEFT JOIN totals t USING (customer_id)
LEFT JOIN patterns p USING (customer_id)
