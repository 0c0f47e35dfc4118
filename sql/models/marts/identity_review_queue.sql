/*---
description: >
  Probabilistic identity matches waiting for a person: candidate pairs whose match probability lies between
  identity_review_probability and the auto-link bar (or above it but too close to another candidate), for
  profiles not linked otherwise and pairs not yet decided. Accept or reject with `scrm identity review` or
  POST /api/identity/review; the decision is kept in meta.identity_decisions and respected on every rebuild.
columns:
  profile_id: Social profile.
  customer_id: Candidate customer.
  network: The profile's network.
  display_name: The profile's display name.
  handle: The profile's handle.
  customer_name: The customer's full name.
  city: The city both give.
  match_probability: Probability the pair is the same person.
  match_weight: Sum of the agreement weights (log2 m/u).
  reason: below_auto_link (probability under the bar) or ambiguous (another candidate scores too close).
tests:
  unique: [[profile_id, customer_id]]
  not_null: [profile_id, customer_id, match_probability, reason]
  accepted_values:
    reason: [below_auto_link, ambiguous]
---*/
SELECT c.profile_id, c.customer_id, c.network, c.display_name, c.handle, s.full_name AS customer_name, c.city,
  c.match_probability, c.match_weight,
  CASE WHEN c.match_probability >= {{ var('identity_auto_link_probability') }} THEN 'ambiguous' ELSE 'below_auto_link' END AS reason
FROM intermediate.int_identity_candidates c
JOIN staging.stg_customers s USING (customer_id)
ANTI JOIN marts.identity_links l ON l.record_type = 'social_profile' AND l.record_id = c.profile_id
ANTI JOIN (SELECT DISTINCT profile_id, customer_id FROM meta.identity_decisions) d ON d.profile_id = c.profile_id AND d.customer_id = c.customer_id
WHERE c.match_probability >= {{ var('identity_review_probability') }}
