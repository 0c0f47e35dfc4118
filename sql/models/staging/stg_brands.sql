/*---
description: The competitor set — our brand and the competitors we listen for, with the keywords that tag mentions.
materialized: view
---*/
SELECT brand, coalesce(is_own, false) AS is_own, coalesce(keywords, [brand]) AS keywords
FROM raw.brands
