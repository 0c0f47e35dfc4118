/*---
description: >
  Inferred interests per customer: the product categories of their sales, by spend (shipping excluded), over
  every loaded order. Incremental: a build after a load recomputes the customers whose orders or lines arrived.
materialized: incremental
unique_key: customer_id
columns:
  customer_id: CRM customer id (key).
  interests: Up to three categories with the highest sales to the customer.
tests:
  unique: [customer_id]
---*/
WITH affected AS (
  SELECT customer_id FROM raw.orders WHERE {{ new_rows(_load_id) }}
  UNION SELECT o.customer_id FROM raw.order_lines l JOIN raw.orders o USING (order_id) WHERE {{ new_rows(l._load_id) }}
),
category_spend AS (
  SELECT o.customer_id, l.category, sum(l.line_amount) AS spend
  FROM staging.stg_order_lines l JOIN marts.orders o USING (order_id)
  WHERE o.kind = 'sale' AND o.customer_id IS NOT NULL AND l.category IS NOT NULL AND lower(l.category) <> 'shipping'
    AND {{ if_incremental(o.customer_id IN (SELECT customer_id FROM affected)) }}
  GROUP BY 1, 2
)
-- The three smallest (−spend, category): highest spend first, ties by name (a top-n aggregate; an ordered list()
-- of every category costs twice as much).
SELECT customer_id, arg_min(category, (-spend, category), 3) AS interests
FROM category_spend GROUP BY 1
