/*---
description: Social profiles as loaded, with the identifiers used for matching normalised (e-mail lower-cased and trimmed, loyalty id upper-cased, handle without "@").
materialized: view
columns:
  profile_id: Profile id from the listening tool (key).
  network: Social network, lower case (x, instagram, facebook, tiktok, reviews…).
  handle: Handle without a leading "@", lower case.
  display_name: Name shown on the profile.
  followers: Followers of the profile.
  location: Location the profile gives (free text).
  email: E-mail published or shared by the profile, normalised; null when unknown.
  loyalty_id: Loyalty-card id the profile gave (e.g. in a contest), normalised; null when unknown.
  customer_id: CRM customer id when the profile signed in with a social login; null otherwise.
---*/
SELECT
  profile_id,
  lower(trim(network)) AS network,
  nullif(lower(ltrim(trim(handle), '@')), '') AS handle,
  display_name,
  followers,
  nullif(trim(location), '') AS location,
  nullif(lower(trim(email)), '') AS email,
  nullif(upper(trim(loyalty_id)), '') AS loyalty_id,
  nullif(trim(customer_id), '') AS customer_id
FROM raw.social_profiles
