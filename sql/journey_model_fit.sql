-- journey_model fitted on journeys drawn from a known Markov chain
-- (sql/include/journey_generator.sql): the learned order-2 probabilities
-- match the true ones within 4 standard errors, sqrt(p (1 - p) / n) for a
-- context seen n times, for every context seen at least 200 times; the
-- order-1 model cannot see the second-order rule and predicts worse.
SET timezone = 'UTC';
\i sql/include/journey_generator.sql
SELECT pg_temp.journey_generate(20000, 0.25) AS events;
SELECT count(DISTINCT customer_id) AS customers FROM journey_events;
CREATE TABLE jf_paths AS
	SELECT customer_id, milestone_path_agg(label, at) AS p FROM journey_events GROUP BY 1;
CREATE TABLE jf_model AS SELECT journey_model_agg(p, 2) AS m FROM jf_paths;

-- every learned probability against the truth, per (prev, last) context
CREATE TABLE jf_check AS
	WITH learned AS (
		SELECT coalesce(t.context[1], '^') AS prev, coalesce(t.context[2], '^') AS last, t.next,
			   t.transitions, t.probability, sum(t.transitions) OVER (PARTITION BY t.context) AS n
		FROM jf_model, journey_transitions(m) t
	), contexts AS (SELECT DISTINCT prev, last, n FROM learned)
	SELECT c.prev, c.last, c.n, tr.next, tr.probability AS truth, coalesce(l.probability, 0) AS learned
	FROM contexts c
	CROSS JOIN LATERAL pg_temp.journey_truth(c.prev, c.last) tr
	LEFT JOIN learned l ON l.prev = c.prev AND l.last = c.last AND l.next IS NOT DISTINCT FROM tr.next;
-- no transition the true chain lacks was learned
SELECT count(*) AS learned_but_impossible
FROM jf_model, journey_transitions(m) t
WHERE NOT EXISTS (SELECT FROM pg_temp.journey_truth(coalesce(t.context[1], '^'), coalesce(t.context[2], '^')) tr
				  WHERE tr.next IS NOT DISTINCT FROM t.next);
SELECT count(*) AS probabilities_checked,
	   count(*) FILTER (WHERE abs(learned - truth) > 4 * sqrt(truth * (1 - truth) / n)) AS outside_tolerance,
	   round(max(abs(learned - truth))::numeric, 3) AS largest_error
FROM jf_check WHERE n >= 200;
-- the second-order rule is learned: a cart reached from search converts
SELECT prev, last, coalesce(next, '(end)') AS next, truth, round(learned::numeric, 2) AS learned
FROM jf_check WHERE last = 'cart' ORDER BY prev, next NULLS LAST;
-- order 1 mixes both kinds of carts
SELECT coalesce(x.label, '(end)') AS after_cart, round(x.probability::numeric, 2) AS order_1
FROM (SELECT journey_model_agg(p) AS m FROM jf_paths) s, predict_next(m, 'cart', 5) x;
