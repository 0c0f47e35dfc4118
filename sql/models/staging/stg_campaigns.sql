/*---
description: Marketing campaigns with their dates and spend.
materialized: view
---*/
SELECT campaign_id, name, lower(channel) AS channel, start_date, end_date, spend, upper(currency) AS currency FROM raw.campaigns
