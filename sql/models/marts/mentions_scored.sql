/*---
materialized: view
description: >
  One row per loaded mention, with its brand (tagged by the brands' keywords when the source gave
  none), engagement, sentiment score and label, and the author's person where the profile is linked to a
  customer. Sentiment: the listening tool's label (score +1 / 0 / −1, method "source") until our multilingual
  scorer runs; the tool's own label always stays in source_sentiment. A view over the incrementally scored
  intermediate.int_mentions_scored, so the person always follows the current identity links.
columns:
  mention_id: Mention id from the listening tool (key).
  brand: Brand the mention is about.
  brand_from_keywords: True when the brand was tagged from the text's keywords.
  is_own_brand: True when the brand is ours.
  network: Social network.
  posted_at: Time of the post (UTC).
  posted_date: Day of the post (UTC).
  lang: Language code (es, pt, en…) as given, else detected; null when neither.
  lang_detected: True when the language was detected from the text.
  text: Text of the mention.
  sentiment_score: Sentiment in −1..1; null when unknown.
  sentiment_label: positive, neutral or negative; null when unknown.
  sentiment_method: Where the label comes from (source = the listening tool).
  source_sentiment: The listening tool's own label, as delivered.
  likes: Likes.
  shares: Shares.
  comments: Comments.
  engagement: Likes + shares + comments.
  reach: Estimated reach.
  url: Permalink.
  is_owned: True for posts by the brand's own accounts.
  profile_id: Author's profile id.
  author_handle: Author's handle.
  person_id: The author's person when the profile is linked to a customer (marts.identity_links).
---*/
SELECT m.*, r.text, r.url, l.person_id
FROM intermediate.int_mentions_scored m
JOIN raw.mentions r USING (mention_id)
LEFT JOIN marts.identity_links l ON l.record_type = 'social_profile' AND l.record_id = m.profile_id
