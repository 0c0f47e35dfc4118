/*---
description: >
  Who is who: every CRM customer and every social profile tied to one, mapped to a person. A person is
  anchored on the CRM customer (person_id = customer_id). Deterministic rules first
  (intermediate.int_identity_deterministic: social_login, loyalty_id, email; confidence 1). Profiles no rule
  ties are matched probabilistically (intermediate.int_identity_candidates): the best candidate is linked
  with method "fuzzy" when its match probability is at least identity_auto_link_probability and it leads the
  next candidate by identity_min_margin; a reviewer's accept (meta.identity_decisions, via `scrm identity
  review` or the API) links a pair whatever its score, and a reject keeps it unlinked on every rebuild.
columns:
  record_type: Kind of record — customer (a CRM record) or social_profile.
  record_id: customer_id or profile_id of the record.
  person_id: The person the record belongs to (the anchoring customer_id).
  customer_id: The CRM customer the record is tied to.
  profile_id: The social profile, for social_profile records.
  network: The profile's network, for social_profile records.
  method: How the record was tied — crm (the customer itself), social_login, loyalty_id, email, fuzzy.
  confidence: 1.0 for deterministic rules and reviewer-accepted pairs; the match probability for automatic fuzzy links.
  reviewed: True when a reviewer accepted the link.
tests:
  unique: [[record_type, record_id]]
  not_null: [record_type, record_id, person_id, method, confidence]
  accepted_values:
    record_type: [customer, social_profile]
    method: [crm, social_login, loyalty_id, email, fuzzy]
  relationships:
    - { column: customer_id, to: staging.stg_customers, field: customer_id }
---*/
WITH decisions AS (
  SELECT profile_id, customer_id, arg_max(decision, decided_at) AS decision, max(decided_at) AS decided_at
  FROM meta.identity_decisions GROUP BY profile_id, customer_id
),
accepted AS (
  -- A profile accepted for several customers belongs to the latest one.
  SELECT d.profile_id, arg_max(d.customer_id, d.decided_at) AS customer_id
  FROM decisions d JOIN staging.stg_customers s ON s.customer_id = d.customer_id
  WHERE d.decision = 'accept'
  GROUP BY 1
),
automatic AS (
  SELECT c.profile_id, c.customer_id, c.match_probability
  FROM intermediate.int_identity_candidates c
  LEFT JOIN decisions d USING (profile_id, customer_id)
  WHERE c.rank_in_profile = 1
    AND c.match_probability >= {{ var('identity_auto_link_probability') }}
    AND coalesce(c.margin, 1e9) >= {{ var('identity_min_margin') }}
    AND d.decision IS DISTINCT FROM 'reject'
),
fuzzy AS (
  SELECT a.profile_id, a.customer_id, 1.0::DOUBLE AS confidence, true AS reviewed FROM accepted a
  UNION ALL
  SELECT profile_id, customer_id, match_probability, false FROM automatic ANTI JOIN accepted USING (profile_id)
)
SELECT 'customer' AS record_type, customer_id AS record_id, customer_id AS person_id, customer_id,
  CAST(NULL AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS network, 'crm' AS method, 1.0::DOUBLE AS confidence, false AS reviewed
FROM staging.stg_customers
UNION ALL
SELECT 'social_profile', profile_id, customer_id, customer_id, profile_id, network, method, 1.0::DOUBLE, false
FROM intermediate.int_identity_deterministic
UNION ALL
SELECT 'social_profile', f.profile_id, f.customer_id, f.customer_id, f.profile_id, p.network, 'fuzzy', f.confidence, f.reviewed
FROM fuzzy f
JOIN staging.stg_social_profiles p USING (profile_id)
ANTI JOIN intermediate.int_identity_deterministic d ON d.profile_id = f.profile_id
