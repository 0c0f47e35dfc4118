/*---
description: >
  Probabilistic identity matching (Fellegi–Sunter) of the social profiles no deterministic rule links,
  against CRM customers. Blocking: same city (the profile's location before any comma = the customer's city),
  and the profile's name has a token equal to the customer's first name (directly or through a nickname,
  staging.ref_nicknames) and another equal to one of the customer's surnames — names folded to lower case
  without accents. Each pair is compared on name tokens, handle and e-mail local part (DuckDB's
  jaro_winkler_similarity) and scores the sum of log2(m/u) agreement weights; match_probability turns the
  weight into a probability with the prior odds of a match among blocked pairs. Weights and prior live in
  sql/project.yaml (identity_*).
columns:
  profile_id: Social profile.
  customer_id: Candidate CRM customer.
  network: The profile's network.
  display_name: The profile's display name.
  handle: The profile's handle.
  city: The city both give (folded).
  first_name_level: exact or nickname.
  surnames_full: Customer surnames found whole in the profile's name.
  surnames_initial: Customer surnames found only as an initial.
  first_surname_full: The customer's first surname is found whole.
  unexplained_words: Profile name words (2+ letters) that are neither the customer's names nor a nickname of them.
  unexplained_initials: Single letters that are no initial of the customer's names.
  handle_similarity: Best Jaro–Winkler similarity of the handle (letters only) to the customer's name forms.
  email_similarity: Jaro–Winkler similarity of the handle to the customer's e-mail local part (letters only).
  match_weight: Sum of the agreement weights (log2 m/u).
  match_probability: Probability the pair is the same person, 0..1.
  rank_in_profile: 1 for the profile's best candidate.
  margin: Weight of this candidate minus the profile's next best (null when it is the only one).
tests:
  unique: [[profile_id, customer_id]]
  not_null: [profile_id, customer_id, match_weight, match_probability]
---*/
WITH profiles AS (
  SELECT p.profile_id, p.network, p.display_name, p.handle,
    strip_accents(lower(trim(split_part(p.location, ',', 1)))) AS city,
    list_filter(string_split(trim(regexp_replace(strip_accents(lower(p.display_name)), '[^a-z]+', ' ', 'g')), ' '), t -> t <> '') AS tokens,
    regexp_replace(strip_accents(lower(coalesce(p.handle, ''))), '[^a-z]', '', 'g') AS handle_letters
  FROM staging.stg_social_profiles p
  ANTI JOIN intermediate.int_identity_deterministic d USING (profile_id)
  WHERE p.location IS NOT NULL AND p.display_name IS NOT NULL
),
customers AS (
  SELECT customer_id,
    strip_accents(lower(trim(city))) AS city,
    list_filter(string_split(trim(regexp_replace(strip_accents(lower(first_name)), '[^a-z]+', ' ', 'g')), ' '), t -> t <> '') AS firsts,
    list_filter(string_split(trim(regexp_replace(strip_accents(lower(last_name)), '[^a-z]+', ' ', 'g')), ' '), t -> t <> '') AS surnames,
    regexp_replace(split_part(email, '@', 1), '[^a-z]', '', 'g') AS email_letters
  FROM staging.stg_customers
  WHERE city IS NOT NULL AND first_name IS NOT NULL AND last_name IS NOT NULL
),
nick AS (SELECT nickname, string_split(canonical, ' ')[1] AS first FROM staging.ref_nicknames),
ptok AS (SELECT DISTINCT profile_id, city, unnest(tokens) AS token FROM profiles),
profile_keys AS (
  -- every (first-name token, other token) of the profile's name, the first mapped through nicknames too
  SELECT DISTINCT f.profile_id, f.city, coalesce(n.first, f.token) AS first, s.token AS surname, n.first IS NOT NULL AS via_nickname
  FROM ptok f
  JOIN ptok s ON s.profile_id = f.profile_id AND s.token <> f.token AND length(s.token) > 1
  LEFT JOIN nick n ON n.nickname = f.token
),
profile_tokens AS (
  SELECT t.profile_id, t.token, coalesce(list(DISTINCT n.first) FILTER (WHERE n.first IS NOT NULL), []) AS canon
  FROM ptok t LEFT JOIN nick n ON n.nickname = t.token
  GROUP BY ALL
),
profile_canon AS (
  SELECT profile_id, list(struct_pack(token := token, canon := canon)) AS token_canon FROM profile_tokens GROUP BY 1
),
customer_keys AS (
  SELECT DISTINCT customer_id, city, firsts[1] AS first, unnest(surnames) AS surname FROM customers
),
pairs AS (
  SELECT k.profile_id, c.customer_id, bool_and(k.via_nickname) AS via_nickname
  FROM profile_keys k JOIN customer_keys c USING (city, first, surname)
  GROUP BY ALL
),
compared AS (
  SELECT pr.profile_id, c.customer_id, p.network, p.display_name, p.handle, p.city,
    CASE WHEN pr.via_nickname THEN 'nickname' ELSE 'exact' END AS first_name_level,
    len(list_filter(c.surnames, s -> list_contains(p.tokens, s))) AS surnames_full,
    len(list_filter(c.surnames, s -> NOT list_contains(p.tokens, s) AND list_contains(p.tokens, s[1]))) AS surnames_initial,
    list_contains(p.tokens, c.surnames[1]) AS first_surname_full,
    len(list_filter(pc.token_canon, x -> length(x.token) > 1 AND NOT list_contains(c.surnames, x.token)
      AND NOT list_contains(c.firsts, x.token) AND NOT list_has_any(x.canon, c.firsts))) AS unexplained_words,
    len(list_filter(p.tokens, t -> length(t) = 1 AND NOT list_contains(list_transform(list_concat(c.firsts, c.surnames), x -> x[1]), t))) AS unexplained_initials,
    greatest(
      jaro_winkler_similarity(p.handle_letters, c.firsts[1] || c.surnames[1]),
      jaro_winkler_similarity(p.handle_letters, c.surnames[1] || c.firsts[1]),
      jaro_winkler_similarity(p.handle_letters, c.firsts[1][1] || c.surnames[1]),
      jaro_winkler_similarity(p.handle_letters, c.firsts[1] || coalesce(c.surnames[2], c.surnames[1])),
      CASE WHEN contains(p.handle_letters, c.surnames[1]) THEN 0.95 ELSE 0 END
    ) AS handle_similarity,
    CASE WHEN c.email_letters <> '' THEN jaro_winkler_similarity(p.handle_letters, c.email_letters) END AS email_similarity
  FROM pairs pr
  JOIN profiles p USING (profile_id)
  JOIN profile_canon pc USING (profile_id)
  JOIN customers c ON c.customer_id = pr.customer_id
),
weighted AS (
  SELECT *,
    {{ var('identity_w_city') }}
    + CASE first_name_level WHEN 'exact' THEN {{ var('identity_w_first_exact') }} ELSE {{ var('identity_w_first_nickname') }} END
    + CASE WHEN first_surname_full THEN {{ var('identity_w_first_surname') }} ELSE 0 END
    + (surnames_full - CASE WHEN first_surname_full THEN 1 ELSE 0 END) * {{ var('identity_w_other_surname') }}
    + surnames_initial * {{ var('identity_w_surname_initial') }}
    + unexplained_words * {{ var('identity_w_unexplained_word') }}
    + unexplained_initials * {{ var('identity_w_unexplained_initial') }}
    + CASE WHEN handle_similarity >= 0.9 THEN {{ var('identity_w_handle_agree') }}
           WHEN handle_similarity >= 0.75 THEN 0 ELSE {{ var('identity_w_handle_disagree') }} END
    + CASE WHEN email_similarity >= 0.9 THEN {{ var('identity_w_email_agree') }} ELSE 0 END
    AS match_weight
  FROM compared
)
SELECT profile_id, customer_id, network, display_name, handle, city, first_name_level,
  surnames_full, surnames_initial, first_surname_full, unexplained_words, unexplained_initials,
  handle_similarity, email_similarity, match_weight,
  1 / (1 + pow(2, -(match_weight + {{ var('identity_prior_log2_odds') }}))) AS match_probability,
  row_number() OVER (PARTITION BY profile_id ORDER BY match_weight DESC, customer_id) AS rank_in_profile,
  match_weight - lead(match_weight) OVER (PARTITION BY profile_id ORDER BY match_weight DESC, customer_id) AS margin
FROM weighted
