/*---
description: >
  One row per order or credit note, with its net revenue. Revenue comes from the order's lines where it has
  them, else from its total. Returns (status "returned", or negative amounts) net off as negative revenue on
  the day they happen; cancelled orders count nowhere (revenue 0, kind "cancelled"). A fact table: it holds
  every loaded order whatever the build's as-of date; the marts built on it apply the as-of date.
  Incremental: a build after a load recomputes, whole, the orders that have new or changed order rows, order
  lines or customer rows since the last build (a re-delivered changed row carries its new load's id).
materialized: incremental
unique_key: order_id
columns:
  order_id: Order or credit-note id (key).
  customer_id: CRM customer id; null for guest / walk-in sales.
  order_date: Calendar day of the order (UTC).
  ordered_at: Time of the order (UTC).
  channel: Sales channel (store, web, app, marketplace…).
  kind: sale, return or cancelled.
  gross_revenue: Amount of a sale (0 for returns and cancellations).
  returns: Amount returned (positive number; 0 for sales).
  net_revenue: gross_revenue − returns.
  line_count: Order lines (0 when only a total was given).
  country: The customer's country, when known.
tests:
  unique: [order_id]
  not_null: [order_id, order_date, kind, net_revenue]
  accepted_values: { kind: [sale, return, cancelled] }
---*/
WITH affected AS (
  -- Incremental builds only: orders whose header, a line, or their customer arrived or changed since the last build.
  SELECT order_id FROM raw.orders WHERE {{ new_rows(_load_id) }}
  UNION SELECT order_id FROM raw.order_lines WHERE {{ new_rows(_load_id) }}
  UNION SELECT o.order_id FROM staging.stg_orders o JOIN raw.customers c USING (customer_id) WHERE {{ new_rows(c._load_id) }}
),
lines AS (
  SELECT order_id, sum(line_amount) AS amount, count(*) AS line_count
  FROM staging.stg_order_lines
  WHERE {{ if_incremental(order_id IN (SELECT order_id FROM affected)) }}
  GROUP BY order_id
),
amounts AS (
  SELECT o.*, coalesce(l.amount, o.total_amount, 0) AS amount, coalesce(l.line_count, 0) AS line_count
  FROM staging.stg_orders o LEFT JOIN lines l USING (order_id)
  WHERE {{ if_incremental(o.order_id IN (SELECT order_id FROM affected)) }}
),
classified AS (
  SELECT *,
    CASE WHEN status = 'cancelled' THEN 'cancelled'
         WHEN status = 'returned' OR amount < 0 THEN 'return'
         ELSE 'sale' END AS kind
  FROM amounts
)
SELECT
  c.order_id, c.customer_id, c.order_date, c.ordered_at, c.channel, c.store_id, c.campaign_id, c.status, c.currency,
  c.kind,
  CAST(CASE WHEN c.kind = 'sale' THEN c.amount ELSE 0 END AS DECIMAL(18, 2)) AS gross_revenue,
  CAST(CASE WHEN c.kind = 'return' THEN abs(c.amount) ELSE 0 END AS DECIMAL(18, 2)) AS returns,
  CAST(CASE WHEN c.kind = 'sale' THEN c.amount WHEN c.kind = 'return' THEN -abs(c.amount) ELSE 0 END AS DECIMAL(18, 2)) AS net_revenue,
  c.line_count,
  cu.country
FROM classified c
LEFT JOIN staging.stg_customers cu USING (customer_id)
