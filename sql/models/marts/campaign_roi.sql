/*---
description: >
  One row per campaign: spend, the orders and net revenue attributed to it (orders carrying its campaign id,
  less the returns of those orders' credit notes), and ROI = (attributed revenue − spend) / spend. Orders
  after the as-of date are left out.
columns:
  campaign_id: Campaign id (key).
  name: Campaign name.
  channel: Marketing channel (email, social, search, display, influencer…).
  start_date: First day of the campaign.
  end_date: Last day of the campaign.
  spend: Amount spent.
  currency: Currency of the spend.
  attributed_orders: Sales orders carrying the campaign id.
  attributed_customers: Distinct identified customers among them.
  attributed_revenue: Net revenue of those orders (sales − returns).
  roi: (attributed_revenue − spend) / spend; null when spend is zero.
  revenue_per_order: attributed_revenue / attributed_orders.
tests:
  unique: [campaign_id]
  not_null: [campaign_id, spend, attributed_orders, attributed_revenue]
---*/
WITH attributed AS (
  SELECT campaign_id,
    count(*) FILTER (WHERE kind = 'sale') AS attributed_orders,
    count(DISTINCT customer_id) FILTER (WHERE kind = 'sale') AS attributed_customers,
    sum(net_revenue) AS attributed_revenue
  FROM marts.orders WHERE campaign_id IS NOT NULL AND order_date <= {{ as_of }}
  GROUP BY campaign_id
)
SELECT
  c.campaign_id, c.name, c.channel, c.start_date, c.end_date,
  CAST(c.spend AS DECIMAL(18, 2)) AS spend,
  c.currency,
  coalesce(a.attributed_orders, 0) AS attributed_orders,
  coalesce(a.attributed_customers, 0) AS attributed_customers,
  CAST(coalesce(a.attributed_revenue, 0) AS DECIMAL(18, 2)) AS attributed_revenue,
  (coalesce(a.attributed_revenue, 0) - c.spend) / nullif(c.spend, 0) AS roi,
  a.attributed_revenue / nullif(a.attributed_orders, 0) AS revenue_per_order
FROM staging.stg_campaigns c
LEFT JOIN attributed a USING (campaign_id)
