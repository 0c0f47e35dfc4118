/*---
description: Followers per day, network and brand.
materialized: view
---*/
SELECT date, lower(network) AS network, brand, followers FROM raw.follower_counts
