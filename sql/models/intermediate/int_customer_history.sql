/*---
description: >
  Every CRM customer's order history as one list of events (day, kind, net revenue, sales, returns), in time
  order — the as-of-independent input of RFM, frequency segments and CLV (intermediate.int_customer_orders
  applies the as-of date to it). Incremental: a build after a load recomputes the customers whose orders
  arrived or changed.
materialized: incremental
unique_key: customer_id
columns:
  customer_id: CRM customer id (key).
  events: "Orders and credit notes as a list of {d: day, k: 1 sale / 2 return / 3 cancelled, net: net revenue}, by day (sales = net of sales, returns = −net of returns)."
tests:
  unique: [customer_id]
---*/
WITH affected AS (
  SELECT customer_id FROM raw.orders WHERE {{ new_rows(_load_id) }}
  UNION SELECT o.customer_id FROM raw.order_lines l JOIN raw.orders o USING (order_id) WHERE {{ new_rows(l._load_id) }}
  UNION SELECT customer_id FROM raw.customers WHERE {{ new_rows(_load_id) }}
)
SELECT c.customer_id,
  -- Three small fields per event keep a million customers' lists within the build's memory limit; list_sort orders
  -- the structs by their first field, the day (an ORDER BY inside list() costs far more memory).
  list_sort(coalesce(list(struct_pack(d := o.order_date, k := CAST(CASE o.kind WHEN 'sale' THEN 1 WHEN 'return' THEN 2 ELSE 3 END AS UTINYINT), net := o.net_revenue))
    FILTER (WHERE o.order_id IS NOT NULL), [])) AS events
FROM staging.stg_customers c
LEFT JOIN marts.orders o ON o.customer_id = c.customer_id AND {{ if_incremental(o.customer_id IN (SELECT customer_id FROM affected)) }}
WHERE {{ if_incremental(c.customer_id IN (SELECT customer_id FROM affected)) }}
GROUP BY c.customer_id
