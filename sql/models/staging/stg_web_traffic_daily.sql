/*---
description: Web sessions, users and conversions per day and traffic source.
materialized: view
---*/
SELECT date, lower(source) AS source, sessions, users, conversions FROM raw.web_traffic_daily
