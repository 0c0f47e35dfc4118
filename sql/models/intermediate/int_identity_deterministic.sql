/*---
description: >
  Deterministic identity links: social profiles tied to a CRM customer by a rule, strongest first —
  social_login (the profile signed in with the customer's account), loyalty_id (same loyalty-card id), email
  (same normalised e-mail). A rule only links when it points at exactly one customer; a profile that two
  rules would tie to different customers takes the strongest rule.
columns:
  profile_id: Social profile (key).
  network: The profile's network.
  customer_id: The CRM customer it belongs to.
  method: social_login, loyalty_id or email.
tests:
  unique: [profile_id]
  not_null: [profile_id, customer_id, method]
---*/

WITH unique_loyalty AS (
  SELECT loyalty_id, any_value(customer_id) AS customer_id FROM staging.stg_customers
  WHERE loyalty_id IS NOT NULL GROUP BY 1 HAVING count(*) = 1
),
unique_email AS (
  SELECT email, any_value(customer_id) AS customer_id FROM staging.stg_customers
  WHERE email IS NOT NULL GROUP BY 1 HAVING count(*) = 1
),
candidates AS (
  SELECT p.profile_id, p.network, c.customer_id, 'social_login' AS method, 1 AS strength
  FROM staging.stg_social_profiles p JOIN staging.stg_customers c ON c.customer_id = p.customer_id
  UNION ALL
  SELECT p.profile_id, p.network, u.customer_id, 'loyalty_id', 2
  FROM staging.stg_social_profiles p JOIN unique_loyalty u USING (loyalty_id)
  UNION ALL
  SELECT p.profile_id, p.network, u.customer_id, 'email', 3
  FROM staging.stg_social_profiles p JOIN unique_email u USING (email)
),
best AS (
  SELECT profile_id, arg_min(network, strength) AS network, arg_min(customer_id, strength) AS customer_id, arg_min(method, strength) AS method
  FROM candidates GROUP BY profile_id
)
SELECT profile_id, network, customer_id, method FROM best
