-- test/demo.sql: what the first README command prints.  Every output fits
-- in 100 columns and is labelled (wrapped format as a safety net).
\pset footer off
\pset format wrapped
\pset columns 100
\echo
\echo '== The journey stages (journey_stages()) =='
SELECT rank, stage, array_to_string(aliases, ', ') AS also_accepted FROM journey_stages();

\echo '== Where customers are now, and how many were ever thrown back (stage_timeline) =='
WITH t AS (
	SELECT customer_id, stage_timeline_agg(stage, at) AS timeline
	FROM stage_changes GROUP BY customer_id
)
SELECT current_stage(timeline) AS stage,
	   count(*) AS customers_now,
	   count(*) FILTER (WHERE regressions(timeline) > 0) AS thrown_back_at_least_once
FROM t GROUP BY 1 ORDER BY 1;

\echo '== Three customers in detail (current_stage, furthest_stage, regressions, time_in_stage) =='
CREATE TEMP TABLE demo_timelines AS
	SELECT customer_id, stage_timeline_agg(stage, at) AS timeline
	FROM stage_changes WHERE customer_id IN (1, 2, 3) GROUP BY customer_id;
SELECT customer_id, current_stage(timeline) AS now, furthest_stage(timeline) AS furthest,
	   regressions(timeline) AS regressions,
	   time_in_stage(timeline, 'selling', timestamptz '2026-06-30 00:00:00+00') AS time_selling
FROM demo_timelines ORDER BY customer_id;

\echo '== Their timelines: each change as stage@time (the text form; times are midnight UTC here) =='
SELECT customer_id AS customer, replace(timeline::text, ' 00:00:00+00', '') AS timeline
FROM demo_timelines ORDER BY customer_id;

\echo '== Average days spent in each stage, up to 2026-06-30 =='
WITH t AS (
	SELECT customer_id, stage_timeline_agg(stage, at) AS timeline
	FROM stage_changes GROUP BY customer_id
)
SELECT s.stage,
	   round(avg(extract(epoch FROM time_in_stage(t.timeline, s.stage, timestamptz '2026-06-30 00:00:00+00')) / 86400)
			 FILTER (WHERE reached_at(t.timeline, s.stage) IS NOT NULL), 1) AS avg_days_when_entered,
	   count(*) FILTER (WHERE reached_at(t.timeline, s.stage) IS NOT NULL) AS customers_entered
FROM t CROSS JOIN journey_stages() AS s
GROUP BY s.stage ORDER BY s.stage;

\echo '== Funnel within 7 days: customers who reached each step (window_funnel, funnel_counts) =='
CREATE TEMP TABLE demo_funnel AS
	SELECT customer_id,
		   window_funnel(interval '7 days', ts, kind = 'visit', kind = 'view_product',
						 kind = 'add_to_cart', kind = 'purchase') AS level,
		   time_to_convert(interval '7 days', ts, kind = 'visit', kind = 'view_product',
						   kind = 'add_to_cart', kind = 'purchase') AS ttc
	FROM events GROUP BY customer_id;
SELECT * FROM funnel_table((SELECT funnel_counts(level, 4) FROM demo_funnel),
						   ARRAY['visit', 'view_product', 'add_to_cart', 'purchase']);

\echo '== Time from visit to purchase (time_to_convert), with PostgreSQL''s own percentiles =='
SELECT count(ttc) AS converted,
	   justify_hours(percentile_cont(0.5) WITHIN GROUP (ORDER BY ttc)) AS median,
	   justify_hours(percentile_cont(0.9) WITHIN GROUP (ORDER BY ttc)) AS p90,
	   justify_hours(date_trunc('minute', avg(ttc))) AS average
FROM demo_funnel;

\echo '== The same funnel in strict_order mode, as JSON for an application (funnel_json) =='
\echo '   (one JSON array; its elements one per line here)'
SELECT e AS funnel_json_element
FROM json_array_elements(funnel_json((SELECT funnel_counts(level, 4) FROM (
	SELECT window_funnel(interval '7 days', 'strict_order', ts, kind = 'visit', kind = 'view_product',
						 kind = 'add_to_cart', kind = 'purchase') AS level
	FROM events GROUP BY customer_id) s),
	ARRAY['visit', 'view_product', 'add_to_cart', 'purchase'])) AS e;

\echo '== Retention of January sign-ups in February (retention, retention_counts) =='
\echo '   (each later row counts sign-ups also active then; % of the sign-ups)'
WITH c AS (
	SELECT retention_counts(r) AS customers FROM (
		SELECT retention(kind = 'signup' AND ts < timestamptz '2026-02-01',
						 ts >= timestamptz '2026-02-01' AND ts < timestamptz '2026-02-15',
						 ts >= timestamptz '2026-02-15' AND ts < timestamptz '2026-03-01') AS r
		FROM events GROUP BY customer_id) s
)
SELECT l.n AS step, l.label, c.customers[l.n] AS customers,
	   round(100.0 * c.customers[l.n] / nullif(c.customers[1], 0), 2) AS pct_of_signups
FROM c, unnest(ARRAY['signed up in January', 'active February 1-14', 'active February 15-28'])
		WITH ORDINALITY AS l(label, n)
ORDER BY l.n;

\echo '== Customer 7''s sessions: a new one after 30 minutes idle (session_id, session_seq) =='
SELECT customer_id, ts, kind,
	   session_id(ts, interval '30 minutes') OVER w AS session,
	   session_seq(ts, interval '30 minutes') OVER w AS event_in_session
FROM events WHERE customer_id = 7
WINDOW w AS (PARTITION BY customer_id ORDER BY ts)
ORDER BY ts LIMIT 12;

\echo '== Sessions per customer, summarised (session_stats) =='
SELECT round(avg((st).sessions), 1) AS avg_sessions_per_customer,
	   justify_hours(date_trunc('second', avg((st).avg_duration))) AS avg_session_duration,
	   max((st).longest_duration) AS longest_session,
	   round(avg((st).avg_events), 2) AS avg_events_per_session
FROM (SELECT customer_id, session_stats(interval '30 minutes', ts) AS st FROM events GROUP BY customer_id) s;

\echo '== The five most common orders of first reaching signup, add_to_cart, purchase, review =='
\echo '   (milestone_path_agg, first_reached, labels_only)'
CREATE TEMP TABLE demo_paths AS
	SELECT customer_id, milestone_path_agg(kind, ts) AS path
	FROM events WHERE kind NOT IN ('visit', 'view_product') GROUP BY customer_id;
SELECT labels_only(first_reached(path)) AS first_reached_in_order, count(*) AS customers
FROM (SELECT customer_id, milestone_path_agg(kind, ts) AS path FROM events
	  WHERE kind IN ('signup', 'add_to_cart', 'purchase', 'review') GROUP BY customer_id) p
GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;

\echo '== Customer 7''s milestones, when each was first reached (first_reached, reached_at) =='
SELECT m.n AS step, m.milestone, reached_at(path, m.milestone) AS first_reached_at
FROM demo_paths, unnest(milestones(first_reached(path))) WITH ORDINALITY AS m(milestone, n)
WHERE customer_id = 7 ORDER BY m.n;

\echo '== Paths with add_to_cart then purchase (@>, GIN-indexable), and the time between them =='
SELECT count(*) FILTER (WHERE path @> 'add_to_cart -> purchase') AS cart_then_purchase,
	   count(*) AS customers,
	   justify_hours(percentile_cont(0.5) WITHIN GROUP (ORDER BY time_between(path, 'add_to_cart', 'purchase'))) AS median_cart_to_purchase
FROM demo_paths;

\echo '== Support screen: customer 15 on the growth map (milestone_status, milestone_level) =='
\echo '   (one stored path per customer; the support tool reads one row through the primary key)'
CREATE TEMP TABLE customer_paths (customer_id bigint PRIMARY KEY, p milestone_path NOT NULL);
INSERT INTO customer_paths SELECT customer_id, milestone_path_agg(kind, ts) FROM events GROUP BY customer_id;
SELECT 'customer 15 has reached milestone ' || milestone_level(p, ARRAY['visit', 'signup', 'newsletter', 'add_to_cart',
		   'checkout', 'purchase', 'review', 'vip_invite']) || ' of 8' AS level
FROM customer_paths WHERE customer_id = 15;
SELECT s.milestone AS "#", s.label AS milestone, CASE WHEN s.reached THEN 'yes' ELSE 'not yet' END AS reached,
	   to_char(s.reached_at, 'YYYY-MM-DD HH24:MI') AS first_reached_utc
FROM customer_paths c,
	 milestone_status(c.p, ARRAY['visit', 'signup', 'newsletter', 'add_to_cart', 'checkout', 'purchase', 'review', 'vip_invite']) s
WHERE c.customer_id = 15 ORDER BY s.milestone;

-- BEGIN sequence
\echo '== Sequence patterns: add_to_cart then purchase within an hour, no support ticket between =='
\echo '   (sequence_match with a time condition and a whole-match window; sequence_count)'
SELECT count(*) FILTER (WHERE within_hour) AS cart_to_purchase_within_hour,
	   count(*) FILTER (WHERE unassisted) AS same_without_support_between,
	   sum(carts_bought) AS cart_to_purchase_times, count(*) AS customers
FROM (SELECT customer_id,
			 sequence_match('(?1).*(?t<=3600)(?2)', ts, kind = 'add_to_cart', kind = 'purchase') AS within_hour,
			 sequence_match('(?w<=3600)(?1)(?3)*(?2)', ts, kind = 'add_to_cart', kind = 'purchase',
							kind <> 'support_ticket', kind = 'support_ticket') AS unassisted,
			 sequence_count('(?1).*(?2)', ts, kind, ARRAY['add_to_cart', 'purchase']) AS carts_bought
	  FROM events GROUP BY customer_id) s;

\echo '== The step right after the first checkout, for customers who never bought within a day of one =='
\echo '   (sequence_next over the stored paths; NULL: nothing followed)'
SELECT coalesce(sequence_next(p, '(?1)', ARRAY['checkout']), '(nothing)') AS next_step, count(*) AS customers
FROM customer_paths
WHERE sequence_match(p, '(?1)', ARRAY['checkout'])
  AND NOT sequence_match(p, '(?1).*(?t<=''1 day'')(?2)', ARRAY['checkout', 'purchase'])
GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;

\echo '== Customer 7: when the first visit -> add_to_cart -> purchase chain happened (sequence_match_events) =='
SELECT sequence_match_events('(?1).*(?2).*(?3)', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']) AS chain
FROM events WHERE customer_id = 7;
-- END sequence

-- BEGIN journey_model

-- END journey_model

-- BEGIN attribution

-- END attribution

-- BEGIN funnel_options

-- END funnel_options
