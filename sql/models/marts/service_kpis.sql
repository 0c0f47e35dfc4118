/*---
description: >
  Service KPIs per day (the day tickets were opened) × channel: tickets, median and p90 first response and
  resolution times, SLA attainment and CSAT. First response = first agent reply − opened; resolution =
  resolved − opened. SLA attainment = tickets answered within their priority's first-response target /
  tickets whose target has passed (answered in time, answered late, or still unanswered after the target at
  the as-of date); tickets still inside their target are not counted yet. Targets in minutes by priority:
  sla_first_response_minutes_<priority> in sql/project.yaml.
columns:
  date: Day the tickets were opened (UTC).
  channel: Service channel (email, phone, chat, social…).
  tickets: Tickets opened.
  answered: Tickets with a first response.
  resolved: Tickets resolved.
  median_first_response_minutes: Median minutes to the first response (answered tickets).
  p90_first_response_minutes: 90th percentile of minutes to the first response.
  median_resolution_hours: Median hours to resolution (resolved tickets).
  p90_resolution_hours: 90th percentile of hours to resolution.
  sla_met: Tickets answered within their target.
  sla_due: Tickets whose target has passed (the denominator of SLA attainment).
  sla_attainment: sla_met / sla_due, 0..1; null when nothing is due.
  csat_avg: Mean satisfaction score (1..5) of rated tickets.
  csat_responses: Tickets with a satisfaction score.
tests:
  unique: [[date, channel]]
  not_null: [date, channel, tickets]
  no_rows:
    - name: SLA counts are consistent
      sql: SELECT * FROM marts.service_kpis WHERE sla_met > sla_due OR sla_due > tickets OR answered > tickets
---*/
WITH t AS (
  SELECT *,
    CASE priority
      WHEN 'urgent' THEN {{ var('sla_first_response_minutes_urgent') }}
      WHEN 'high' THEN {{ var('sla_first_response_minutes_high') }}
      WHEN 'low' THEN {{ var('sla_first_response_minutes_low') }}
      ELSE {{ var('sla_first_response_minutes_normal') }}
    END AS target_minutes
  FROM staging.stg_support_tickets
  WHERE opened_date <= {{ as_of }}
),
flagged AS (
  SELECT *,
    first_response_minutes IS NOT NULL AND first_response_minutes <= target_minutes AS met,
    first_response_minutes IS NOT NULL
      OR date_diff('second', opened_at, CAST({{ as_of }} AS TIMESTAMP)) / 60.0 > target_minutes AS due
  FROM t
)
SELECT
  opened_date AS date,
  coalesce(channel, 'unknown') AS channel,
  count(*) AS tickets,
  count(first_response_at) AS answered,
  count(resolved_at) AS resolved,
  median(first_response_minutes) AS median_first_response_minutes,
  quantile_cont(first_response_minutes, 0.9) AS p90_first_response_minutes,
  median(resolution_minutes) / 60 AS median_resolution_hours,
  quantile_cont(resolution_minutes, 0.9) / 60 AS p90_resolution_hours,
  count(*) FILTER (WHERE met) AS sla_met,
  count(*) FILTER (WHERE due) AS sla_due,
  count(*) FILTER (WHERE met) / nullif(count(*) FILTER (WHERE due), 0) AS sla_attainment,
  avg(csat) AS csat_avg,
  count(csat) AS csat_responses
FROM flagged
GROUP BY ALL
