/*---
description: >
  Everything about a person on one row (every CRM customer): profile and consent, orders and revenue, RFM and
  purchase-frequency segment, CLV and P(alive), linked social profiles and their followers, mentions and
  sentiment about our brand, advocacy role, service tickets and CSAT, and inferred interests (the product
  categories they spend most on). PII (e-mail, phone, names) is here in clear; the API masks it by role.
columns:
  person_id: The person (the anchoring customer_id; see marts.identity_links).
  customer_id: CRM customer id (key).
  first_name: First name (PII).
  last_name: Last name(s) (PII).
  full_name: First and last name (PII).
  email: Normalised e-mail (PII).
  phone: Phone as exported (PII).
  loyalty_id: Loyalty-card id.
  gender: F, M or null.
  birth_date: Date of birth (PII).
  city: City.
  region: Region (autonomous community, district, state).
  country: ISO country code.
  created_at: When the customer signed up.
  tenure_days: Days from sign-up to the as-of date.
  marketing_consent: True only where the customer opted in to marketing; exports include only these people.
  consent_updated_at: When the consent last changed.
  orders: Sales to date.
  revenue: Net revenue to date (sales − returns).
  returns: Amount returned to date.
  aov: Average order value (sales before returns / sales).
  first_order_date: Day of the first sale.
  last_order_date: Day of the latest sale.
  recency_days: Days since the latest sale.
  orders_12m: Sales in the trailing 12 months.
  r_score: RFM recency score 1..5.
  f_score: RFM frequency score 1..5.
  m_score: RFM monetary score 1..5.
  rfm_segment: Segment of the R×F map.
  frequency_segment: one_time, frequent, sporadic, seasonal, lapsed or prospect.
  seasonal_peak_month: Month the seasonal customer buys around.
  historical_clv: Net revenue to date.
  predicted_clv_12m: Predicted 12-month CLV; null until the predictive model has run.
  p_alive: Probability the customer is still active; null until the predictive model has run.
  clv_tier: platinum, gold, silver or bronze.
  linked_profiles: Social profiles tied to the person.
  networks: Networks of those profiles.
  social_followers: Followers summed over those profiles.
  mentions: Mentions posted from those profiles (any brand).
  own_brand_mentions: Of which about our brand.
  net_sentiment: (positive − negative) / (positive + negative) of their mentions of our brand.
  advocacy_role: The strongest role among their profiles (detractor, ambassador, influencer, none).
  tickets: Service tickets of the customer.
  open_tickets: Tickets not yet resolved.
  csat_avg: Mean satisfaction score of their rated tickets.
  interests: Up to three product categories with the highest sales to the customer (shipping excluded; all loaded orders).
tests:
  unique: [customer_id]
  not_null: [person_id, customer_id, orders, revenue, marketing_consent, linked_profiles, mentions, tickets]
  accepted_values:
    advocacy_role: [detractor, ambassador, influencer, none]
  relationships:
    - { column: customer_id, to: staging.stg_customers, field: customer_id }
---*/
WITH profiles AS (
  SELECT l.person_id,
    count(*) AS linked_profiles,
    list(DISTINCT p.network ORDER BY p.network) AS networks,
    sum(coalesce(p.followers, 0)) AS social_followers
  FROM marts.identity_links l JOIN staging.stg_social_profiles p ON p.profile_id = l.profile_id
  WHERE l.record_type = 'social_profile'
  GROUP BY 1
),
voice AS (
  SELECT person_id,
    sum(mentions) AS mentions, sum(own_brand_mentions) AS own_brand_mentions,
    (sum(positive) - sum(negative)) / nullif(sum(positive) + sum(negative), 0) AS net_sentiment,
    CASE max(CASE role WHEN 'detractor' THEN 3 WHEN 'ambassador' THEN 2 WHEN 'influencer' THEN 1 ELSE 0 END)
      WHEN 3 THEN 'detractor' WHEN 2 THEN 'ambassador' WHEN 1 THEN 'influencer' ELSE 'none' END AS advocacy_role
  FROM marts.social_authors WHERE person_id IS NOT NULL GROUP BY 1
),
service AS (
  SELECT customer_id, count(*) AS tickets, count(*) FILTER (WHERE resolved_at IS NULL) AS open_tickets, avg(csat) AS csat_avg
  FROM staging.stg_support_tickets WHERE customer_id IS NOT NULL AND opened_date <= {{ as_of }} GROUP BY 1
)
SELECT
  c.customer_id AS person_id,
  c.customer_id,
  c.first_name, c.last_name, c.full_name, c.email, c.phone, c.loyalty_id, c.gender, c.birth_date,
  c.city, c.region, c.country, c.created_at,
  {{ as_of }} - CAST(c.created_at AS DATE) AS tenure_days,
  c.marketing_consent, c.consent_updated_at,
  o.orders, o.revenue, o.returns,
  CAST(o.gross_revenue / nullif(o.orders, 0) AS DECIMAL(18, 2)) AS aov,
  o.first_order_date, o.last_order_date, o.recency_days, o.orders_12m,
  s.r_score, s.f_score, s.m_score, s.rfm_segment, s.frequency_segment, s.seasonal_peak_month,
  coalesce(v.historical_clv, 0) AS historical_clv, v.predicted_clv_12m, v.p_alive, s.clv_tier,
  coalesce(p.linked_profiles, 0) AS linked_profiles,
  coalesce(p.networks, []) AS networks,
  coalesce(p.social_followers, 0) AS social_followers,
  coalesce(vo.mentions, 0) AS mentions,
  coalesce(vo.own_brand_mentions, 0) AS own_brand_mentions,
  vo.net_sentiment,
  coalesce(vo.advocacy_role, 'none') AS advocacy_role,
  coalesce(sv.tickets, 0) AS tickets,
  coalesce(sv.open_tickets, 0) AS open_tickets,
  sv.csat_avg,
  coalesce(i.interests, []) AS interests
FROM staging.stg_customers c
JOIN intermediate.int_customer_orders o USING (customer_id)
JOIN marts.customer_segments s USING (customer_id)
LEFT JOIN marts.customer_clv v USING (customer_id)
LEFT JOIN profiles p ON p.person_id = c.customer_id
LEFT JOIN voice vo ON vo.person_id = c.customer_id
LEFT JOIN service sv USING (customer_id)
LEFT JOIN intermediate.int_customer_interests i USING (customer_id)
