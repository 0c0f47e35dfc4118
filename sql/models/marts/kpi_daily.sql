/*---
description: >
  One row per day with the company's KPIs: sales (net revenue, orders, active / new / repeat customers, AOV),
  awareness (our brand's mentions, net sentiment, followers, web sessions, search volume) and service (tickets,
  median first-response and resolution times). Days run from the first to the last day with any data, up to
  the build's as-of date. Daily figures: customers active over a week are not the sum of daily actives.
columns:
  date: Calendar day (UTC).
  revenue: Net revenue (sales − returns), see marts.orders.
  gross_revenue: Sales before returns.
  returns: Amount returned.
  orders: Completed sales orders.
  active_customers: Distinct identified customers with a sale that day.
  new_customers: Customers whose first sale was that day.
  repeat_customers: Customers with a sale that day who had bought before.
  aov: Average order value = gross_revenue / orders.
  mentions: Mentions of our brand.
  net_sentiment: (positive − negative) / (positive + negative) of our brand's labelled mentions; null without labels.
  followers: Our followers summed over networks.
  web_sessions: Web sessions over all traffic sources.
  repeat_visits: Web sessions beyond each visitor's first of the day (sessions − users), summed over sources.
  conversions: Web and app orders counted by the web analytics tool.
  search_volume: Search volume of our brand's terms.
  tickets: Service tickets opened.
  median_first_response_minutes: Median minutes from opening to the first agent reply, tickets opened that day.
  median_resolution_hours: Median hours from opening to resolution, tickets opened that day and resolved.
tests:
  unique: [date]
  not_null: [date, revenue, orders, mentions]
---*/
WITH sales AS (
  SELECT order_date AS date,
    sum(net_revenue) AS revenue, sum(gross_revenue) AS gross_revenue, sum(returns) AS returns,
    count(*) FILTER (WHERE kind = 'sale') AS orders,
    count(DISTINCT customer_id) FILTER (WHERE kind = 'sale') AS active_customers
  FROM marts.orders GROUP BY 1
),
first_sale AS (
  SELECT customer_id, first_order_date AS first_date FROM intermediate.int_customer_orders WHERE orders > 0
),
buyers AS (
  SELECT DISTINCT o.order_date AS date, o.customer_id, f.first_date
  FROM marts.orders o JOIN first_sale f USING (customer_id) WHERE o.kind = 'sale'
),
customer_counts AS (
  SELECT date,
    count(*) FILTER (WHERE date = first_date) AS new_customers,
    count(*) FILTER (WHERE date > first_date) AS repeat_customers
  FROM buyers GROUP BY 1
),
social AS (
  SELECT date, sum(mentions) AS mentions,
    (sum(positive) - sum(negative)) / nullif(sum(positive) + sum(negative), 0) AS net_sentiment
  FROM marts.share_of_voice_daily WHERE is_own GROUP BY 1
),
followers AS (
  SELECT f.date, sum(f.followers) AS followers
  FROM staging.stg_follower_counts f JOIN staging.stg_brands b ON b.brand = f.brand AND b.is_own GROUP BY 1
),
web AS (
  SELECT date, sum(sessions) AS web_sessions, sum(greatest(sessions - users, 0)) AS repeat_visits, sum(conversions) AS conversions
  FROM staging.stg_web_traffic_daily GROUP BY 1
),
search AS (
  SELECT s.date, sum(s.volume) AS search_volume
  FROM staging.stg_search_volume s JOIN staging.stg_brands b ON b.brand = s.brand AND b.is_own GROUP BY 1
),
service AS (
  SELECT opened_date AS date, count(*) AS tickets,
    median(first_response_minutes) AS median_first_response_minutes,
    median(resolution_minutes) / 60 AS median_resolution_hours
  FROM staging.stg_support_tickets GROUP BY 1
),
bounds AS (
  SELECT least(min(d), {{ as_of }}) AS first_day, least(max(d), {{ as_of }}) AS last_day FROM (
    SELECT min(date) AS d FROM sales UNION ALL SELECT max(date) FROM sales
    UNION ALL SELECT min(date) FROM social UNION ALL SELECT max(date) FROM social
  )
),
days AS (
  SELECT CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS date FROM bounds
)
SELECT
  d.date,
  coalesce(s.revenue, 0) AS revenue,
  coalesce(s.gross_revenue, 0) AS gross_revenue,
  coalesce(s.returns, 0) AS returns,
  coalesce(s.orders, 0) AS orders,
  coalesce(s.active_customers, 0) AS active_customers,
  coalesce(cc.new_customers, 0) AS new_customers,
  coalesce(cc.repeat_customers, 0) AS repeat_customers,
  s.gross_revenue / nullif(s.orders, 0) AS aov,
  coalesce(so.mentions, 0) AS mentions,
  so.net_sentiment,
  fo.followers,
  w.web_sessions,
  w.repeat_visits,
  w.conversions,
  se.search_volume,
  coalesce(sv.tickets, 0) AS tickets,
  sv.median_first_response_minutes,
  sv.median_resolution_hours
FROM days d
LEFT JOIN sales s USING (date)
LEFT JOIN customer_counts cc USING (date)
LEFT JOIN social so USING (date)
LEFT JOIN followers fo USING (date)
LEFT JOIN web w USING (date)
LEFT JOIN search se USING (date)
LEFT JOIN service sv USING (date)
ORDER BY d.date
