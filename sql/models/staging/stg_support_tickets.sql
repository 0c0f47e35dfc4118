/*---
description: Service tickets with first-response and resolution times in minutes.
materialized: view
---*/
SELECT
  ticket_id, customer_id, profile_id, lower(channel) AS channel, opened_at,
  CAST(opened_at AS DATE) AS opened_date,
  first_response_at, resolved_at, lower(status) AS status, priority, agent_id, csat,
  date_diff('second', opened_at, first_response_at) / 60.0 AS first_response_minutes,
  date_diff('second', opened_at, resolved_at) / 60.0 AS resolution_minutes
FROM raw.support_tickets
