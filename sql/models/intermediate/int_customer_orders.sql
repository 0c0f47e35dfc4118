/*---
description: >
  Purchase history per CRM customer up to the build's as-of date — the inputs of RFM, purchase-frequency
  segments and CLV, computed from intermediate.int_customer_history's event lists. A sale counts toward orders
  and revenue; a purchase occasion is a day with a sale or a cancelled order (the customer came to buy), which
  is what gap regularity and seasonality are measured on. Customers without any order are included with zero
  orders. x, t_x and T are the BG/NBD inputs in weeks, on purchase days (several sales on one day are one
  transaction).
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
  x: Repeat purchase days (distinct sale days minus the first).
  t_x: Weeks from the first to the latest purchase day.
  T: Weeks from the first purchase day to the as-of date.
  monetary_value: Mean sales per repeat purchase day (before returns); null when x = 0.
---*/
WITH upto AS (
  SELECT c.customer_id, CAST(c.created_at AS DATE) AS created_date,
    list_filter(coalesce(h.events, []), e -> e.d <= {{ as_of }}) AS e
  FROM staging.stg_customers c LEFT JOIN intermediate.int_customer_history h USING (customer_id)
),
lists AS (
  SELECT customer_id, created_date, e,
    list_filter(e, x -> x.k = 1) AS sales,
    list_sort(list_distinct(list_transform(list_filter(e, x -> x.k IN (1, 3)), x -> x.d))) AS occasions
  FROM upto
),
derived AS (
  SELECT *,
    list_sort(list_distinct(list_transform(sales, x -> x.d))) AS sale_days,
    list_filter(occasions, d -> d > {{ as_of }} - 365) AS occ12,
    list_transform(occasions, d -> 2 * pi() * (dayofyear(d) - 1) / 365.25) AS angles
  FROM lists
),
measures AS (
  SELECT *,
    list_transform(occ12[2:], (d, i) -> d - occ12[i]) AS gaps12
  FROM derived
)
SELECT
  customer_id,
  sale_days[1] AS first_order_date,
  sale_days[-1] AS last_order_date,
  len(sales) AS orders,
  len(sale_days) AS purchase_days,
  CAST(coalesce(list_sum(list_transform(e, x -> x.net)), 0) AS DECIMAL(18, 2)) AS revenue,
  CAST(coalesce(list_sum(list_transform(sales, x -> x.net)), 0) AS DECIMAL(18, 2)) AS gross_revenue,
  CAST(coalesce(-list_sum(list_transform(list_filter(e, x -> x.k = 2), x -> x.net)), 0) AS DECIMAL(18, 2)) AS returns,
  len(list_filter(sales, x -> x.d > {{ as_of }} - 365)) AS orders_12m,
  CAST(coalesce(list_sum(list_transform(list_filter(e, x -> x.d > {{ as_of }} - 365), x -> x.net)), 0) AS DECIMAL(18, 2)) AS revenue_12m,
  len(occ12) AS occasions_12m,
  list_avg(gaps12) AS gap_mean_days_12m,
  CASE WHEN len(gaps12) >= 2 THEN list_aggregate(gaps12, 'stddev_pop') / nullif(list_avg(gaps12), 0) END AS gap_cv_12m,
  len(list_distinct(list_transform(occasions, d -> year(d)))) AS occasion_years,
  CASE WHEN len(angles) > 0 THEN sqrt(list_avg(list_transform(angles, a -> cos(a))) ^ 2 + list_avg(list_transform(angles, a -> sin(a))) ^ 2) END AS seasonal_concentration,
  CASE WHEN len(angles) > 0 THEN month(DATE '2001-01-01' + CAST(floor(((atan2(list_avg(list_transform(angles, a -> sin(a))), list_avg(list_transform(angles, a -> cos(a)))) + 2 * pi()) % (2 * pi())) / (2 * pi()) * 365) AS INTEGER)) END AS seasonal_peak_month,
  {{ as_of }} - least(created_date, list_min(list_transform(e, x -> x.d))) AS history_days,
  {{ as_of }} - sale_days[-1] AS recency_days,
  greatest(len(sale_days) - 1, 0) AS x,
  CASE WHEN len(sale_days) > 0 THEN (sale_days[-1] - sale_days[1]) / 7.0 END AS t_x,
  CASE WHEN len(sale_days) > 0 THEN ({{ as_of }} - sale_days[1]) / 7.0 END AS "T",
  CASE WHEN len(sale_days) > 1 THEN CAST(list_sum(list_transform(list_filter(sales, x -> x.d > sale_days[1]), x -> x.net)) / (len(sale_days) - 1) AS DECIMAL(18, 2)) END AS monetary_value
FROM measures
