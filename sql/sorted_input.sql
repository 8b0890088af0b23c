-- The funnel aggregates and session_stats keep a group's rows unsorted until
-- the final call.  session_stats skips that sort when the rows arrived in
-- time order (a sorted GroupAggregate over an index on (customer, time)); the
-- funnel aggregates always sort (a compare per row gained too little).  Every
-- arrival order, plan and split between parallel workers gives the same
-- answers, whichever way a state learns its order.
SET timezone = 'UTC';

-- 1. By hand: each customer's rows in ascending and in descending order
-- (the aggregate's own ORDER BY sets the order the transition sees).
CREATE TABLE arrive (c int, ts timestamptz, e text);
INSERT INTO arrive VALUES
	-- one instant: b then a in descending label order; the instant may
	-- fill steps a, b in that order: level 2 either way
	(1, '2026-01-01 10:00', 'a'), (1, '2026-01-01 10:00', 'b'),
	-- a chain of 2 hours exactly (the window is inclusive): level 3
	(2, '2026-01-01 10:00', 'a'), (2, '2026-01-01 11:00', 'b'), (2, '2026-01-01 12:00', 'c'),
	-- an instant of three rows ending the chain: a at 10:00, b and c at 10:30
	(3, '2026-01-01 10:00', 'a'), (3, '2026-01-01 10:30', 'c'), (3, '2026-01-01 10:30', 'b'),
	(3, '2026-01-01 10:30', 'x'),
	-- a row at infinity: wide rows (times past the packable range); a, b reach 2
	(4, 'infinity', 'c'), (4, '2026-01-01 10:00', 'a'), (4, '2026-01-01 10:05', 'b'),
	-- sessions with a gap of 30 minutes: 10:00-10:20 and 11:30-11:30 (a tie)
	(5, '2026-01-01 10:00', 'x'), (5, '2026-01-01 10:20', 'x'), (5, '2026-01-01 11:30', 'x'),
	(5, '2026-01-01 11:30', 'x');
SELECT c,
	   window_funnel(interval '2 hours', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts, e) AS up,
	   window_funnel(interval '2 hours', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts DESC, e DESC) AS down,
	   window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c' ORDER BY ts, e DESC) AS up_ties_down,
	   window_funnel_times(interval '2 hours', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts, e) AS times_up,
	   window_funnel_times(interval '2 hours', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts DESC, e DESC) AS times_down,
	   time_to_convert(interval '2 hours', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts, e) AS ttc_up,
	   time_to_convert(interval '2 hours', 'strict_order', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts DESC, e) AS ttc_strict_down
FROM arrive WHERE c < 4 GROUP BY c ORDER BY c;
-- the wide state of customer 4 (9 steps also makes rows wide)
SELECT window_funnel(interval '1 day', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts) AS up,
	   window_funnel(interval '1 day', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts DESC) AS down,
	   window_funnel(interval '1 day', ts, e, ARRAY['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] ORDER BY ts DESC) AS nine_steps_down,
	   window_funnel(interval '1 day', ts, e, ARRAY['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] ORDER BY ts) AS nine_steps_up
FROM arrive WHERE c = 4;
SELECT (session_stats(interval '30 minutes', ts ORDER BY ts)).*
FROM arrive WHERE c = 5;
SELECT (session_stats(interval '30 minutes', ts ORDER BY ts DESC)).*
FROM arrive WHERE c = 5;

-- 2. Random customers with ties (times on a 10-minute grid), in random
-- physical order, and an index giving them in (customer, time) order.
CREATE TABLE rev AS
	SELECT (abs(hashint4(i)) % 1500) AS customer,
		   timestamptz '2026-01-01' + (abs(hashint4(i * 7 + 3)) % 300) * interval '10 minutes' AS ts,
		   (ARRAY['a', 'b', 'c', 'd', 'x', 'a', 'b'])[1 + abs(hashint4(i * 5 + 1)) % 7] AS e
	FROM generate_series(1, 40000) i;
-- a few customers with a row at infinity, which makes their states wide
-- (step 5 of the nine-step funnel, and a row outside the chain under
-- strict_order)
INSERT INTO rev SELECT customer, 'infinity', 'x' FROM rev WHERE customer % 97 = 0 GROUP BY customer;
CREATE INDEX rev_customer_ts ON rev (customer, ts) INCLUDE (e);
VACUUM ANALYZE rev;
SELECT count(*) AS rows, count(DISTINCT customer) AS customers,
	   count(*) - count(DISTINCT (customer, ts)) AS rows_tied_with_an_earlier_one
FROM rev;

-- the reference: rows in the order of the aggregate's own ORDER BY (time,
-- then label: the order the final sort gives), one row of answers a customer
CREATE TEMP VIEW answers_ordered AS
SELECT customer,
	   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd'] ORDER BY ts, e) AS ev,
	   window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c' ORDER BY ts, e) AS cond,
	   window_funnel(interval '3 hours', 'strict_order, strict_deduplication', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts, e) AS strict,
	   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd', 'x', 'e', 'f', 'g', 'h'] ORDER BY ts, e) AS nine,
	   window_funnel_times(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts, e) AS times,
	   window_funnel_times(interval '1 hour', 'strict_increase', ts, e = 'a', e = 'b', e = 'c' ORDER BY ts, e) AS times_inc,
	   time_to_convert(interval '1 hour', ts, e, ARRAY['a', 'b'] ORDER BY ts, e) AS ttc,
	   time_to_convert(interval '2 hours', 'first_entry', ts, e = 'a', e = 'b' ORDER BY ts, e) AS ttc_first,
	   session_stats(interval '30 minutes', ts ORDER BY ts) AS st,
	   session_stats(interval '30 minutes', ts, interval '1 hour', 3 ORDER BY ts) AS st_caps
FROM rev GROUP BY customer;
-- the same without an order: the plan decides it
CREATE TEMP VIEW answers_plain AS
SELECT customer,
	   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd']) AS ev,
	   window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c') AS cond,
	   window_funnel(interval '3 hours', 'strict_order, strict_deduplication', ts, e, ARRAY['a', 'b', 'c']) AS strict,
	   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd', 'x', 'e', 'f', 'g', 'h']) AS nine,
	   window_funnel_times(interval '1 hour', ts, e, ARRAY['a', 'b', 'c']) AS times,
	   window_funnel_times(interval '1 hour', 'strict_increase', ts, e = 'a', e = 'b', e = 'c') AS times_inc,
	   time_to_convert(interval '1 hour', ts, e, ARRAY['a', 'b']) AS ttc,
	   time_to_convert(interval '2 hours', 'first_entry', ts, e = 'a', e = 'b') AS ttc_first,
	   session_stats(interval '30 minutes', ts) AS st,
	   session_stats(interval '30 minutes', ts, interval '1 hour', 3) AS st_caps
FROM rev GROUP BY customer;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE reference AS SELECT * FROM answers_ordered;
SELECT count(*) AS customers, sum(ev) AS ev, sum(cond) AS cond, sum(strict) AS strict, sum(nine) AS nine,
	   count(ttc) AS converted, count(ttc_first) AS converted_first,
	   sum((st).sessions) AS sessions, sum((st_caps).sessions) AS capped_sessions
FROM reference;
-- the wide rows of the nine-step funnel and of the infinite times agree too
SELECT customer, window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd', 'x'] ORDER BY ts DESC, e DESC) AS down,
	   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd', 'x']) AS any_order,
	   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd', 'x'] ORDER BY ts, e) AS up
FROM rev WHERE customer IN (0, 97, 194) GROUP BY customer ORDER BY customer;

-- rows in descending order: every state unsorted
SELECT count(*) AS differing_customers FROM reference r FULL JOIN (
	SELECT customer,
		   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd'] ORDER BY ts DESC, e DESC) AS ev,
		   window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c' ORDER BY ts DESC, e DESC) AS cond,
		   window_funnel(interval '3 hours', 'strict_order, strict_deduplication', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts DESC) AS strict,
		   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd', 'x', 'e', 'f', 'g', 'h'] ORDER BY ts DESC) AS nine,
		   window_funnel_times(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'] ORDER BY ts DESC) AS times,
		   window_funnel_times(interval '1 hour', 'strict_increase', ts, e = 'a', e = 'b', e = 'c' ORDER BY ts DESC) AS times_inc,
		   time_to_convert(interval '1 hour', ts, e, ARRAY['a', 'b'] ORDER BY ts DESC, e DESC) AS ttc,
		   time_to_convert(interval '2 hours', 'first_entry', ts, e = 'a', e = 'b' ORDER BY ts DESC) AS ttc_first,
		   session_stats(interval '30 minutes', ts ORDER BY ts DESC) AS st,
		   session_stats(interval '30 minutes', ts, interval '1 hour', 3 ORDER BY ts DESC) AS st_caps
	FROM rev GROUP BY customer
) o USING (customer)
WHERE (r.ev, r.cond, r.strict, r.nine, r.times, r.times_inc, r.ttc, r.ttc_first, r.st, r.st_caps)
	IS DISTINCT FROM (o.ev, o.cond, o.strict, o.nine, o.times, o.times_inc, o.ttc, o.ttc_first, o.st, o.st_caps);

-- the hash plan over the table's random order
SET enable_sort = off; SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM answers_plain;
SELECT count(*) AS differing_customers FROM reference r FULL JOIN answers_plain o USING (customer)
WHERE (r.ev, r.cond, r.strict, r.nine, r.times, r.times_inc, r.ttc, r.ttc_first, r.st, r.st_caps)
	IS DISTINCT FROM (o.ev, o.cond, o.strict, o.nine, o.times, o.times_inc, o.ttc, o.ttc_first, o.st, o.st_caps);
RESET enable_sort; RESET enable_indexscan; RESET enable_indexonlyscan; RESET enable_bitmapscan;

-- the sorted GroupAggregate over the index: rows in time order, no sort
SET enable_hashagg = off; SET enable_seqscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM answers_plain;
SELECT count(*) AS differing_customers FROM reference r FULL JOIN answers_plain o USING (customer)
WHERE (r.ev, r.cond, r.strict, r.nine, r.times, r.times_inc, r.ttc, r.ttc_first, r.st, r.st_caps)
	IS DISTINCT FROM (o.ev, o.cond, o.strict, o.nine, o.times, o.times_inc, o.ttc, o.ttc_first, o.st, o.st_caps);
RESET enable_seqscan; RESET enable_bitmapscan;

-- a sort on the customer alone: each customer's rows in the table's order
SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM answers_plain;
SELECT count(*) AS differing_customers FROM reference r FULL JOIN answers_plain o USING (customer)
WHERE (r.ev, r.cond, r.strict, r.nine, r.times, r.times_inc, r.ttc, r.ttc_first, r.st, r.st_caps)
	IS DISTINCT FROM (o.ev, o.cond, o.strict, o.nine, o.times, o.times_inc, o.ttc, o.ttc_first, o.st, o.st_caps);
RESET enable_indexscan; RESET enable_indexonlyscan; RESET enable_bitmapscan; RESET enable_hashagg;

-- 3. Partial states combined: parallel plans over tables stored in time
-- order, so that each worker's partial state is in order while their
-- concatenation is not.
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
-- One group split between the workers: a single chain of 8 steps, one row
-- every 5000 minutes, among 40,000 rows of another kind, all stored in time
-- order.  Each worker's state holds its share of the chain in order; the
-- chain survives a concatenation of those states only when the states are
-- merged in an order that keeps it, so a merge that kept the sorted flag
-- would mostly lose steps.  Level 8; one session of 40,000 minutes.
CREATE TABLE chain_by_time AS
	SELECT ts, CASE WHEN m % 5000 = 2000 THEN 's' || (m / 5000 + 1) ELSE 'x' END AS e
	FROM generate_series(1, 40000) m, LATERAL (SELECT timestamptz '2026-01-01' + m * interval '1 minute' AS ts) t
	ORDER BY ts;
VACUUM ANALYZE chain_by_time;
EXPLAIN (COSTS OFF)
	SELECT window_funnel(interval '40000 minutes', ts, e, ARRAY['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']) FROM chain_by_time;
SELECT window_funnel(interval '40000 minutes', ts, e, ARRAY['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']) AS level,
	   window_funnel(interval '40000 minutes', ts, e = 's1', e = 's2', e = 's3', e = 's4', e = 's5', e = 's6', e = 's7', e = 's8') AS level_conditions,
	   window_funnel(interval '40000 minutes', ts, e, ARRAY['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9']) AS level_wide,
	   time_to_convert(interval '40000 minutes', ts, e, ARRAY['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']) AS ttc,
	   (session_stats(interval '30 minutes', ts)).*
FROM chain_by_time;
-- the random customers' rows, stored in time order: partial states per
-- worker and customer
CREATE TABLE rev_by_time AS SELECT * FROM rev ORDER BY ts, e;
VACUUM ANALYZE rev_by_time;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT customer, window_funnel(interval '1 hour', ts, e = 'a', e = 'b') FROM rev_by_time GROUP BY customer;
SELECT count(*) AS differing_customers FROM reference r FULL JOIN (
	SELECT customer,
		   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd']) AS ev,
		   window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c') AS cond,
		   window_funnel(interval '3 hours', 'strict_order, strict_deduplication', ts, e, ARRAY['a', 'b', 'c']) AS strict,
		   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c', 'd', 'x', 'e', 'f', 'g', 'h']) AS nine,
		   window_funnel_times(interval '1 hour', ts, e, ARRAY['a', 'b', 'c']) AS times,
		   window_funnel_times(interval '1 hour', 'strict_increase', ts, e = 'a', e = 'b', e = 'c') AS times_inc,
		   time_to_convert(interval '1 hour', ts, e, ARRAY['a', 'b']) AS ttc,
		   time_to_convert(interval '2 hours', 'first_entry', ts, e = 'a', e = 'b') AS ttc_first,
		   session_stats(interval '30 minutes', ts) AS st,
		   session_stats(interval '30 minutes', ts, interval '1 hour', 3) AS st_caps
	FROM rev_by_time GROUP BY customer
) o USING (customer)
WHERE (r.ev, r.cond, r.strict, r.nine, r.times, r.times_inc, r.ttc, r.ttc_first, r.st, r.st_caps)
	IS DISTINCT FROM (o.ev, o.cond, o.strict, o.nine, o.times, o.times_inc, o.ttc, o.ttc_first, o.st, o.st_caps);
RESET ALL;
DROP TABLE arrive, rev, rev_by_time, chain_by_time, reference CASCADE;
