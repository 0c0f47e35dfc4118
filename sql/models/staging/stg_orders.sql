/*---
description: Order headers as loaded, with a calendar date and trimmed ids.
materialized: view
---*/
SELECT
  order_id,
  nullif(trim(customer_id), '') AS customer_id,
  ordered_at,
  CAST(ordered_at AS DATE) AS order_date,
  lower(channel) AS channel,
  store_id,
  status,
  upper(currency) AS currency,
  total_amount,
  nullif(trim(campaign_id), '') AS campaign_id
FROM raw.orders
