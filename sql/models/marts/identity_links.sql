/*---
description: >
  Who is who: every CRM customer and every social profile that can be tied to one, mapped to a person.
  A person is anchored on the CRM customer (person_id = customer_id). Deterministic rules, strongest first:
  social_login (the profile signed in with the customer's account), loyalty_id (same loyalty-card id),
  email (same normalised e-mail). A rule only links when it points at exactly one customer; a profile that
  two rules would tie to different customers takes the strongest rule. Profiles no rule ties stay
  unlinked here (probabilistic matching adds them with method "fuzzy").
columns:
  record_type: Kind of record — customer (a CRM record) or social_profile.
  record_id: customer_id or profile_id of the record.
  person_id: The person the record belongs to (the anchoring customer_id).
  customer_id: The CRM customer the record is tied to.
  profile_id: The social profile, for social_profile records.
  network: The profile's network, for social_profile records.
  method: How the record was tied — crm (the customer itself), social_login, loyalty_id, email (later also fuzzy).
  confidence: 1.0 for deterministic rules; a match probability for fuzzy links.
tests:
  unique: [[record_type, record_id]]
  not_null: [record_type, record_id, person_id, method, confidence]
  accepted_values:
    record_type: [customer, social_profile]
    method: [crm, social_login, loyalty_id, email, fuzzy]
  relationships:
    - { column: customer_id, to: staging.stg_customers, field: customer_id }
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
SELECT 'customer' AS record_type, customer_id AS record_id, customer_id AS person_id, customer_id,
  CAST(NULL AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS network, 'crm' AS method, 1.0::DOUBLE AS confidence
FROM staging.stg_customers
UNION ALL
SELECT 'social_profile', profile_id, customer_id, customer_id, profile_id, network, method, 1.0::DOUBLE
FROM best
