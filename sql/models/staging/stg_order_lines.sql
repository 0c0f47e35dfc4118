/*---
description: Order lines as loaded, with the line amount (quantity × unit price; negative for returned lines).
materialized: view
---*/
SELECT
  order_id,
  line_number,
  sku,
  product_name,
  category,
  quantity,
  unit_price,
  CAST(quantity * unit_price AS DECIMAL(18, 2)) AS line_amount
FROM raw.order_lines
