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

\echo '== Customer 7: the first visit -> add_to_cart -> purchase chain (sequence_match_events) =='
SELECT sequence_match_events('(?1).*(?2).*(?3)', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']) AS chain
FROM events WHERE customer_id = 7;
-- END sequence

-- BEGIN journey_model
\echo '== Next-step prediction (journey_model): journeys drawn from a known Markov chain =='
\echo '   (sql/include/journey_generator.sql; 5,000 customers, fitted on 80 %, tested on the other 20 %)'
\ir ../sql/include/journey_generator.sql
SELECT pg_temp.journey_generate(5000, 0.5) AS generated_steps \gset
CREATE TEMP TABLE demo_journeys AS
	SELECT customer_id, customer_id % 5 = 0 AS held_out, milestone_path_agg(label, at) AS p,
		   milestone_path_agg(label, at) FILTER (WHERE n < steps) AS before_last,
		   max(label) FILTER (WHERE n = steps) AS last_step
	FROM (SELECT *, row_number() OVER w AS n, count(*) OVER (PARTITION BY customer_id) AS steps
		  FROM journey_events WINDOW w AS (PARTITION BY customer_id ORDER BY at)) e
	GROUP BY customer_id;
UPDATE demo_journeys SET before_last = '' WHERE before_last IS NULL;
CREATE TEMP TABLE demo_models AS
	SELECT 1 AS k, journey_model_agg(p, 1) AS m FROM demo_journeys WHERE NOT held_out
	UNION ALL SELECT 2, journey_model_agg(p, 2) FROM demo_journeys WHERE NOT held_out;
SELECT k, coalesce(x.label, '(end)') AS next_step, round(x.probability::numeric, 2) AS probability, x.support
FROM demo_models, predict_next(m, 'search -> cart', 3) x ORDER BY k, x.probability DESC, x.label;
\echo '   (k = 2 sees that a cart reached from search converts: checkout 0.7 in the true chain)'
\echo '== Accuracy on the held-out customers: their last step predicted from the steps before it =='
\echo '   (a hit when the true last step is among the first 1 or 3 labels; the end is not a candidate)'
WITH ranked AS (
	SELECT j.customer_id, d.k, j.last_step, x.label,
		   row_number() OVER (PARTITION BY j.customer_id, d.k ORDER BY x.n) AS r
	FROM demo_journeys j CROSS JOIN demo_models d,
		 LATERAL predict_next(d.m, j.before_last, 4) WITH ORDINALITY x(label, probability, support, n)
	WHERE j.held_out AND x.label IS NOT NULL
), baseline AS (
	SELECT label, row_number() OVER (ORDER BY count(*) DESC, label) AS r
	FROM journey_events e JOIN demo_journeys j USING (customer_id) WHERE NOT j.held_out GROUP BY label
), tested AS (SELECT count(*) AS n FROM demo_journeys WHERE held_out)
SELECT 'order ' || k || ' model' AS predictor,
	   round(100.0 * count(DISTINCT customer_id) FILTER (WHERE r = 1 AND label = last_step) / (SELECT n FROM tested), 1) AS top_1_pct,
	   round(100.0 * count(DISTINCT customer_id) FILTER (WHERE r <= 3 AND label = last_step) / (SELECT n FROM tested), 1) AS top_3_pct,
	   (SELECT n FROM tested) AS customers
FROM ranked GROUP BY k
UNION ALL
SELECT 'most frequent label',
	   round(100.0 * count(*) FILTER (WHERE j.last_step = (SELECT label FROM baseline WHERE r = 1)) / count(*), 1),
	   round(100.0 * count(*) FILTER (WHERE j.last_step IN (SELECT label FROM baseline WHERE r <= 3)) / count(*), 1),
	   count(*)
FROM demo_journeys j WHERE j.held_out
ORDER BY 1 DESC;
\echo '== Chance to purchase from where three customers are now (reach_probability, order 2) =='
SELECT j.customer_id AS customer, array_to_string(milestones(j.p), ' > ') AS path_so_far,
	   round(reach_probability(d.m, j.p, 'purchase')::numeric, 3) AS p_purchase
FROM demo_journeys j, demo_models d
WHERE d.k = 2 AND j.customer_id IN (5, 10, 15)
ORDER BY 1;
\echo '== Data-driven attribution of purchase: removal effects (order 1) =='
SELECT r.label, round(r.removal_effect::numeric, 3) AS removal_effect, round(r.share::numeric, 3) AS share
FROM demo_models d, removal_effects(d.m, 'purchase') r WHERE d.k = 1 ORDER BY r.share DESC, r.label;
\echo '== Flows for a Sankey chart: the first 2 transitions after search (path_edges of compact paths) =='
SELECT e.step, e.source, e.target, count(*) AS customers
FROM demo_journeys j, path_edges(compact(j.p), 2, 'search') e
GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2, 3 LIMIT 8;
-- END journey_model

-- BEGIN attribution
\echo '== Attribution: each purchase''s revenue credited to the visits before it (30-day lookback) =='
\echo '   (attribution; the channel of a visit is made up from a hash for the demo)'
CREATE TEMP TABLE demo_touches AS
	SELECT customer_id,
		   milestone_path_agg((ARRAY['ads', 'email', 'seo', 'social', 'direct'])
			   [1 + abs(hashint8(customer_id * 31 + extract(epoch FROM ts)::bigint)) % 5], ts) AS p
	FROM events WHERE kind = 'visit' GROUP BY customer_id;
CREATE TEMP TABLE demo_conversions AS
	SELECT customer_id, ts AS at, (20 + (customer_id % 17) * 5)::numeric(10, 2) AS revenue
	FROM events WHERE kind = 'purchase';
SELECT coalesce(a.touch, '(unattributed)') AS channel,
	   sum(a.credit) FILTER (WHERE m.model = 'last_touch') AS last_touch,
	   sum(a.credit) FILTER (WHERE m.model = 'linear') AS linear,
	   sum(a.credit) FILTER (WHERE m.model = 'position_based') AS position_based,
	   sum(a.credit) FILTER (WHERE m.model = 'time_decay') AS time_decay,
	   round(100 * sum(a.credit) FILTER (WHERE m.model = 'time_decay')
			 / sum(sum(a.credit) FILTER (WHERE m.model = 'time_decay')) OVER (), 1) AS "time_decay_%",
	   count(a.touch) FILTER (WHERE m.model = 'time_decay') AS touches
FROM demo_conversions c
LEFT JOIN demo_touches t USING (customer_id)
CROSS JOIN (VALUES ('last_touch'), ('linear'), ('position_based'), ('time_decay')) AS m(model)
LEFT JOIN LATERAL attribution(t.p, c.at, c.revenue, m.model) a ON true
GROUP BY a.touch ORDER BY time_decay DESC, channel;
\echo '   every model''s credits sum to the revenue, to the cent:'
SELECT count(*) AS purchases, sum(revenue) AS revenue,
	   (SELECT sum(a.credit) FROM demo_conversions c LEFT JOIN demo_touches t USING (customer_id)
		LEFT JOIN LATERAL attribution(t.p, c.at, c.revenue, 'position_based') a ON true) AS position_based_credit,
	   (SELECT sum(a.credit) FROM demo_conversions c LEFT JOIN demo_touches t USING (customer_id)
		LEFT JOIN LATERAL attribution(t.p, c.at, c.revenue, 'time_decay') a ON true) AS time_decay_credit
FROM demo_conversions;
\echo '== Customer 7''s first purchase, credited by position (40 % first, 40 % last, 20 % between) =='
SELECT a.touch, to_char(a.touch_at, 'YYYY-MM-DD HH24:MI') AS touch_at_utc, a.credit
FROM (SELECT * FROM demo_conversions WHERE customer_id = 7 ORDER BY at LIMIT 1) c
JOIN demo_touches t USING (customer_id), attribution(t.p, c.at, c.revenue, 'position_based') a;
-- END attribution

-- BEGIN funnel_options
\echo '== funnel() with options: visit -> add_to_cart -> purchase within 7 days; a support_ticket =='
\echo '   between cart and purchase excludes the attempt (exclusion steps, as PostHog)'
CREATE TEMP TABLE demo_funnel_results AS
SELECT customer_id,
	   funnel(interval '7 days', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase'],
			  'exclude support_ticket between 2 and 3, breakdown first_touch',
			  CASE WHEN kind = 'visit' THEN (ARRAY['ads', 'search', 'email'])[1 + customer_id % 3] END) AS r
FROM events GROUP BY customer_id;
SELECT count(*) AS customers, count(*) FILTER (WHERE (r).excluded) AS excluded,
	   count(*) FILTER (WHERE (r).reached = 3) AS purchased
FROM demo_funnel_results;

\echo '== The funnel report with step times (funnel_summary_agg, funnel_summary_table) =='
SELECT step, label, customers AS n, pct_of_first AS "% first", pct_of_previous AS "% prev",
	   date_trunc('minute', avg_from_previous) AS avg_time, date_trunc('minute', median_from_previous) AS median,
	   date_trunc('minute', p90_from_previous) AS p90
FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM demo_funnel_results), ARRAY['visit', 'add_to_cart', 'purchase']);

\echo '== By first-touch channel (breakdown first_touch) =='
SELECT g.channel, t.step, t.label, t.customers, t.pct_of_first AS "% first"
FROM (SELECT (r).breakdown AS channel, funnel_summary_agg(r) AS s FROM demo_funnel_results
	  WHERE (r).breakdown IS NOT NULL GROUP BY 1) g,
	 LATERAL funnel_summary_table(g.s, ARRAY['visit', 'add_to_cart', 'purchase']) t
ORDER BY 1, 2;

\echo '== Time from visit to purchase (funnel_histogram), drawn =='
SELECT justify_hours(bin_start) AS from_, justify_hours(bin_end) AS to_, customers,
	   repeat('#', (customers * 40 / max(customers) OVER ())::int) AS bar
FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM demo_funnel_results), 1, 3);
-- END funnel_options
