/*---
description: Customers as loaded, cleaned — identifiers normalised for matching, consent defaulting to "no".
materialized: view
columns:
  customer_id: CRM customer id (key).
  loyalty_id: Loyalty-card id, upper-cased and trimmed.
  email: E-mail, lower-cased and trimmed.
  full_name: First and last name.
  marketing_consent: True only where the customer opted in; unknown counts as no.
---*/
SELECT
  customer_id,
  nullif(upper(trim(loyalty_id)), '') AS loyalty_id,
  nullif(lower(trim(email)), '') AS email,
  phone,
  first_name,
  last_name,
  trim(concat_ws(' ', first_name, last_name)) AS full_name,
  birth_date,
  gender,
  city,
  region,
  country,
  created_at,
  coalesce(marketing_consent, false) AS marketing_consent,
  consent_updated_at
FROM raw.customers
