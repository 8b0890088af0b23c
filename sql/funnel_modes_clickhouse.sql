-- window_funnel modes against ClickHouse's own test of windowFunnel
-- (tests/queries/0_stateless/00632_aggregation_window_funnel.sql and its
-- .reference), then hand-computed cases of each mode rule, ties included.
-- Each ClickHouse case shows ClickHouse's answer (ch, from its .reference)
-- next to ours; doc/reference.md (Funnel modes) gives the reason for each difference.
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
CREATE TABLE ch (t text, u int, s int, e text);
CREATE VIEW chv AS SELECT t, u, timestamptz 'epoch' + s * interval '1 second' AS ts, e FROM ch;
INSERT INTO ch VALUES
	-- funnel_test_strict
	('strict', 1, 0, '1000'), ('strict', 1, 10, '1001'), ('strict', 1, 20, '1002'), ('strict', 1, 30, '1003'),
	('strict', 1, 40, '1004'), ('strict', 1, 50, '1005'), ('strict', 1, 51, '1005'), ('strict', 1, 60, '1006'),
	('strict', 1, 70, '1007'), ('strict', 1, 80, '1008'),
	-- funnel_test_strict_order, users 1 .. 7
	('order', 1, 1, 'a'), ('order', 1, 2, 'b'), ('order', 1, 3, 'c'),
	('order', 2, 1, 'a'), ('order', 2, 2, 'd'), ('order', 2, 3, 'b'), ('order', 2, 4, 'c'),
	('order', 3, 1, 'a'), ('order', 3, 2, 'a'), ('order', 3, 3, 'b'), ('order', 3, 4, 'b'), ('order', 3, 5, 'c'), ('order', 3, 6, 'c'),
	('order', 4, 1, 'a'), ('order', 4, 2, 'a'), ('order', 4, 3, 'a'), ('order', 4, 4, 'a'),
	('order', 4, 5, 'b'), ('order', 4, 6, 'b'), ('order', 4, 7, 'c'), ('order', 4, 8, 'c'),
	('order', 5, 1, 'a'), ('order', 5, 2, 'a'), ('order', 5, 3, 'b'), ('order', 5, 4, 'b'), ('order', 5, 5, 'd'), ('order', 5, 6, 'c'), ('order', 5, 7, 'c'),
	('order', 6, 1, 'c'), ('order', 6, 2, 'c'), ('order', 6, 3, 'b'), ('order', 6, 4, 'b'), ('order', 6, 5, 'a'), ('order', 6, 6, 'a'),
	('order', 7, 1, 'a'), ('order', 7, 2, 'c'), ('order', 7, 3, 'b'),
	-- issue 27469: a b c b d
	('27469', 1, 1, 'a'), ('27469', 1, 2, 'b'), ('27469', 1, 3, 'c'), ('27469', 1, 4, 'b'), ('27469', 1, 5, 'd'),
	-- funnel_test_strict_increase
	('increase', 1, 0, '1000'), ('increase', 1, 1, '1001'), ('increase', 1, 1, '1002'), ('increase', 1, 1, '1003'), ('increase', 1, 2, '1004'),
	-- funnel_test2: failure / success
	('once', 234, 100, 'failure'), ('once', 345, 200, 'success'), ('once', 345, 210, 'failure'), ('once', 345, 230, 'success'),
	('once', 234, 250, 'failure'), ('once', 123, 180, 'failure'), ('once', 123, 220, 'failure'), ('once', 123, 250, 'success'),
	-- funnel_test_allow_reentry, users 1 .. 5
	('reentry', 1, 1, 'a'), ('reentry', 1, 2, 'b'), ('reentry', 1, 3, 'a'), ('reentry', 1, 4, 'c'),
	('reentry', 2, 1, 'a'), ('reentry', 2, 2, 'b'), ('reentry', 2, 3, 'a'), ('reentry', 2, 4, 'b'), ('reentry', 2, 5, 'c'),
	('reentry', 3, 1, 'a'), ('reentry', 3, 2, 'b'), ('reentry', 3, 3, 'c'), ('reentry', 3, 4, 'b'), ('reentry', 3, 5, 'd'),
	('reentry', 4, 1, 'a'), ('reentry', 4, 2, 'c'), ('reentry', 4, 3, 'b'),
	('reentry', 5, 1, 'a'), ('reentry', 5, 2, 'b'), ('reentry', 5, 3, 'c'), ('reentry', 5, 4, 'a'), ('reentry', 5, 5, 'b'), ('reentry', 5, 6, 'c'), ('reentry', 5, 7, 'd'),
	-- funnel_test_ecommerce, users 1 .. 3
	('shop', 1, 100, 'begin'), ('shop', 1, 200, 'view'), ('shop', 1, 300, 'begin'), ('shop', 1, 400, 'pay'),
	('shop', 2, 100, 'begin'), ('shop', 2, 200, 'view'), ('shop', 2, 250, 'view'), ('shop', 2, 300, 'begin'), ('shop', 2, 400, 'pay'),
	('shop', 3, 100, 'begin'), ('shop', 3, 200, 'view'), ('shop', 3, 300, 'pay');
-- funnel_test_non_null: a and b may be NULL (a NULL condition counts as false)
CREATE TABLE chn (u int, s int, a text, b text);
INSERT INTO chn VALUES (1, 1, 'a1', 'b1'), (1, 2, 'a2', 'b2'), (2, 1, 'a1', NULL), (2, 2, 'a2', NULL),
	(3, 1, NULL, NULL), (4, 1, NULL, 'b1'), (4, 2, 'a2', NULL), (4, 3, NULL, 'b3');

-- strict_deduplication: 1005 twice before 1006 ends the chain at 6 (ch 6)
SELECT 6 AS ch, window_funnel(interval '10000 seconds', 'strict_deduplication', ts, e = '1000', e = '1001', e = '1002',
	e = '1003', e = '1004', e = '1005', e = '1006') AS ours FROM chv WHERE t = 'strict';
SELECT 7 AS ch, window_funnel(interval '10000 seconds', ts, e = '1000', e = '1001', e = '1002',
	e = '1003', e = '1004', e = '1005', e = '1006') AS ours FROM chv WHERE t = 'strict';

-- strict_order: repeats of a step reached do not break the chain (users 3, 4);
-- a row of no step (2, 5), of a later step (7) does
SELECT u, ch.ch, window_funnel(interval '1 day', ts, e = 'a', e = 'b', e = 'c') AS plain,
	   window_funnel(interval '1 day', 'strict_order', ts, e = 'a', e = 'b', e = 'c') AS strict_order,
	   window_funnel(interval '1 day', 'strict_deduplication,strict_order', ts, e = 'a', e = 'b', e = 'c') AS dedup_order
FROM chv JOIN (VALUES (1, '[3, 3, 3]'), (2, '[3, 1, 1]'), (3, '[3, 3, 2]'), (4, '[3, 3, 2]'),
				   (5, '[3, 2, 2]'), (6, '[1, 1, 1]')) ch(u, ch) USING (u)
WHERE t = 'order' GROUP BY u, ch.ch ORDER BY u;
SELECT 1 AS ch, window_funnel(interval '10 seconds', 'strict_order', ts, e = 'a', e = 'b', e = 'c') AS ours
FROM chv WHERE t = 'order' AND u = 7;

-- issue 27469: any repeat ends the chain under strict_deduplication (ch 3)
SELECT 3 AS ch, window_funnel(interval '1 day', 'strict_deduplication', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS ours
FROM chv WHERE t = '27469';

-- non-null conditions under strict_order: a row of no step between ends u4 at 1
SELECT u, ch.ch, window_funnel(interval '1 day', timestamptz 'epoch' + s * interval '1 second',
								a IS NULL, coalesce(b, '') = 'b3') AS plain,
	   window_funnel(interval '1 day', 'strict_order', timestamptz 'epoch' + s * interval '1 second',
					 a IS NULL, coalesce(b, '') = 'b3') AS strict_order
FROM chn JOIN (VALUES (1, '[0, 0]'), (2, '[0, 0]'), (3, '[1, 1]'), (4, '[2, 1]')) ch(u, ch) USING (u)
GROUP BY u, ch.ch ORDER BY u;

-- strict_increase and strict_once; one row fills one step (ch 3, ours 1)
SELECT window_funnel(interval '10000 seconds', ts, e = '1000', e = '1001', e = '1002', e = '1003', e = '1004') AS "plain ch 5",
	   window_funnel(interval '10000 seconds', 'strict_increase', ts, e = '1000', e = '1001', e = '1002', e = '1003', e = '1004') AS "increase ch 2",
	   window_funnel(interval '10000 seconds', ts, e = '1004', e = '1004', e = '1004') AS "plain ch 3",
	   window_funnel(interval '10000 seconds', 'strict_once', ts, e = '1004', e = '1004', e = '1004') AS "once ch 1",
	   window_funnel(interval '10000 seconds', 'strict_increase', ts, e = '1004', e = '1004', e = '1004') AS "increase ch 1"
FROM chv WHERE t = 'increase';
SELECT u, '3 2 1' AS ch,
	   window_funnel(interval '200 seconds', 'strict_once,strict_increase', ts, e = 'failure', e = 'failure', e = 'success') AS once_increase,
	   window_funnel(interval '200 seconds', 'strict_once', ts, e = 'failure', e = 'failure', e = 'success') AS once,
	   window_funnel(interval '200 seconds', 'strict_once,strict_deduplication', ts, e = 'failure', e = 'failure', e = 'success') AS once_dedup
FROM chv WHERE t = 'once' GROUP BY u ORDER BY u;

-- allow_reentry; users 2 and 5 differ: the best chain counts here (a b a b c: a@3 b@4 c@5)
SELECT u, ch.ch,
	   window_funnel(interval '1 day', 'strict_order', ts, e = 'a', e = 'b', e = 'c') AS order3,
	   window_funnel(interval '1 day', 'strict_order,allow_reentry', ts, e = 'a', e = 'b', e = 'c') AS reentry3,
	   window_funnel(interval '1 day', 'strict_order', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS order4,
	   window_funnel(interval '1 day', 'strict_order,allow_reentry', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS reentry4,
	   window_funnel(interval '1 day', 'strict_order,allow_reentry,strict_deduplication', ts, e = 'a', e = 'b', e = 'c') AS combined
FROM chv JOIN (VALUES (1, '[2, 3, 2, 3, 3]'), (2, '[2, 3, 2, 3, 1]'), (3, '[3, 3, 4, 4, 3]'),
				   (4, '[1, 1, 1, 1, 1]'), (5, '[3, 3, 3, 4, 3]')) ch(u, ch) USING (u)
WHERE t = 'reentry' GROUP BY u, ch.ch ORDER BY u;

-- begin view begin pay: a new step 1 after the start breaks strict_order, not
-- with allow_reentry.  With four steps (begin, view, begin, pay) the row used
-- for step 1 is not also an intervening step-3 row here (ch 1 1 1).
SELECT u, ch.ch,
	   window_funnel(interval '600 seconds', 'strict_order', ts, e = 'begin', e = 'view', e = 'pay') AS order3,
	   window_funnel(interval '600 seconds', 'strict_order,allow_reentry', ts, e = 'begin', e = 'view', e = 'pay') AS reentry3,
	   window_funnel(interval '600 seconds', 'strict_order', ts, e = 'begin', e = 'view', e = 'begin', e = 'pay') AS order4,
	   window_funnel(interval '600 seconds', 'strict_order,allow_reentry', ts, e = 'begin', e = 'view', e = 'begin', e = 'pay') AS reentry4
FROM chv JOIN (VALUES (1, '[2, 3, 1, 1]'), (2, '[2, 3, 1, 1]'), (3, '[3, 3, 1, 1]')) ch(u, ch) USING (u)
WHERE t = 'shop' GROUP BY u, ch.ch ORDER BY u;
DROP TABLE ch, chn CASCADE;

-- Hand-computed cases of each rule, steps a, b, c, d; m = minute
CREATE TABLE hc (c text, m int, e text);
CREATE VIEW hcv AS SELECT c, timestamptz '2026-01-01' + m * interval '1 minute' AS ts, e FROM hc;
INSERT INTO hc
SELECT c, m - 1, e FROM (VALUES
	('aabbcc', 'a a b b c c'),		-- strict_order 3: repeats of a reached step are allowed
	('aaaabbcc', 'a a a a b b c c'),-- strict_order 3
	('adbc', 'a x b c'),			-- strict_order 1: x matches no step
	('acb', 'a c b'),				-- strict_order 1: c is a later step
	('abac', 'a b a c'),			-- strict_order 2 (3 with allow_reentry): a is step 1 only
	('ababc', 'a b a b c'),			-- strict_order 3: the chain a@2 b@3 c@4 (ClickHouse: 2)
	('abcbd', 'a b c b d'),			-- strict_deduplication 3: b repeats step 2 (4 steps)
	('abbc', 'a b b c'),			-- strict_deduplication 2: b@1 repeats, b@2 skips b@1
	('aabc', 'a a b c'),			-- strict_deduplication 3 (a@1 b c); 1 with first_entry
	('abcab', 'a b c a b')			-- strict_order 3 from a b c; the tail is after the chain
) v(c, seq), LATERAL unnest(string_to_array(seq, ' ')) WITH ORDINALITY u(e, m);
-- ties: a row at the same instant as a chain row is never between two chain rows
INSERT INTO hc VALUES
	('tie_x', 0, 'a'), ('tie_x', 1, 'b'), ('tie_x', 1, 'x'), ('tie_x', 2, 'c'),	-- order 3: x ties with b
	('tie_bb', 0, 'a'), ('tie_bb', 1, 'b'), ('tie_bb', 1, 'b'), ('tie_bb', 2, 'c'),	-- dedup 3: the second b ties with e2
	('tie_ab', 0, 'a'), ('tie_ab', 0, 'b'), ('tie_ab', 1, 'a'), ('tie_ab', 2, 'c'),	-- order 2, reentry 3: a@1 is between b@0 and c@2
	('tie_late', 0, 'a'), ('tie_late', 1, 'x'), ('tie_late', 1, 'a'), ('tie_late', 1, 'b'), ('tie_late', 2, 'c');	-- order 3: x@1 and a@1 tie with b@1, so nothing is between
SELECT c,
	   window_funnel(interval '1 hour', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS plain,
	   window_funnel(interval '1 hour', 'strict_order', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS strict_order,
	   window_funnel(interval '1 hour', 'strict_order,allow_reentry', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS reentry,
	   window_funnel(interval '1 hour', 'strict_deduplication', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS dedup,
	   window_funnel(interval '1 hour', 'strict_deduplication,first_entry', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS dedup_first,
	   window_funnel(interval '1 hour', 'strict_order,allow_reentry,strict_deduplication', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS all3
FROM hcv GROUP BY c ORDER BY c;
-- words that change nothing: strict_once always, allow_reentry without strict_order
SELECT c,
	   window_funnel(interval '1 hour', ' Strict_Once ', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS once,
	   window_funnel(interval '1 hour', 'ALLOW_REENTRY', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS reentry_alone,
	   window_funnel(interval '1 hour', 'allow_reentry,strict_deduplication,strict_once', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS reentry_dedup
FROM hcv GROUP BY c ORDER BY c;
-- the times of the chain, and the event form, under allow_reentry
SELECT window_funnel_times(interval '1 hour', 'strict_order,allow_reentry', ts, e = 'a', e = 'b', e = 'c') AS times,
	   time_to_convert(interval '1 hour', 'strict_order,allow_reentry', ts, e = 'a', e = 'b', e = 'c') AS ttc,
	   window_funnel(interval '1 hour', 'strict_order,allow_reentry', ts, e, ARRAY['a', 'b', 'c']) AS event_form,
	   window_funnel(interval '1 hour', 'strict_order', ts, e, ARRAY['a', 'b', 'c']) AS event_form_order
FROM hcv WHERE c = 'abac';
-- the window still counts from e1: a b a c within 2 minutes cannot use a@0
SELECT window_funnel(interval '2 minutes', 'strict_order,allow_reentry', ts, e = 'a', e = 'b', e = 'c') AS level
FROM hcv WHERE c = 'abac';
DROP TABLE hc CASCADE;

-- every plan shape gives the serial answer under the new rules: sorted and
-- hashed, with partial aggregates combined across parallel workers
CREATE TABLE pm_modes (mode text);
INSERT INTO pm_modes VALUES ('strict_order'), ('strict_order,allow_reentry'), ('strict_deduplication'),
	('strict_order,allow_reentry,strict_deduplication'), ('strict_once'), ('allow_reentry');
CREATE TABLE pm AS
	SELECT mode, (i % 500) AS customer,
		   timestamptz '2026-01-01' + (abs(hashint4(i * 7 + 3)) % 3000) * interval '1 minute' AS ts,
		   (ARRAY['a', 'b', 'c', 'x', 'a', 'b', 'd'])[1 + abs(hashint4(i)) % 7] AS e
	FROM generate_series(1, 40000) i CROSS JOIN pm_modes;
ANALYZE pm;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE pm_serial AS
	SELECT mode, customer,
		   window_funnel(interval '3 hours', mode, ts, e = 'a', e = 'b', e = 'c', e = 'd') AS level,
		   time_to_convert(interval '3 hours', mode, ts, e = 'a', e = 'b', e = 'c', e = 'd') AS ttc
	FROM pm GROUP BY mode, customer;
SELECT mode, sum(level) AS sum_of_levels, count(ttc) AS converted FROM pm_serial GROUP BY mode ORDER BY mode;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
	SELECT mode, customer, window_funnel(interval '3 hours', mode, ts, e = 'a', e = 'b', e = 'c', e = 'd')
	FROM pm GROUP BY mode, customer;
CREATE TABLE pm_sorted AS
	SELECT mode, customer,
		   window_funnel(interval '3 hours', mode, ts, e = 'a', e = 'b', e = 'c', e = 'd') AS level,
		   time_to_convert(interval '3 hours', mode, ts, e = 'a', e = 'b', e = 'c', e = 'd') AS ttc
	FROM pm GROUP BY mode, customer;
SET enable_hashagg = on; SET enable_sort = off;
EXPLAIN (COSTS OFF)
	SELECT mode, customer, window_funnel(interval '3 hours', mode, ts, e = 'a', e = 'b', e = 'c', e = 'd')
	FROM pm GROUP BY mode, customer;
CREATE TABLE pm_hashed AS
	SELECT mode, customer,
		   window_funnel(interval '3 hours', mode, ts, e = 'a', e = 'b', e = 'c', e = 'd') AS level,
		   time_to_convert(interval '3 hours', mode, ts, e = 'a', e = 'b', e = 'c', e = 'd') AS ttc
	FROM pm GROUP BY mode, customer;
RESET enable_sort; RESET enable_hashagg; RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE p.level IS DISTINCT FROM s.level OR p.ttc IS DISTINCT FROM s.ttc) AS sorted_mismatches,
	   count(*) FILTER (WHERE h.level IS DISTINCT FROM s.level OR h.ttc IS DISTINCT FROM s.ttc) AS hashed_mismatches
FROM pm_serial s JOIN pm_sorted p USING (mode, customer) JOIN pm_hashed h USING (mode, customer);
DROP TABLE pm, pm_modes, pm_serial, pm_sorted, pm_hashed;
