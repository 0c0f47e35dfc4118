/*---
description: Search volume per day and term, with the brand the term belongs to.
materialized: view
---*/
SELECT date, term, brand, volume FROM raw.search_volume
