-- Defects of window_funnel, window_funnel_times and time_to_convert in
-- 0.2.0, each checked for the three aggregates: the rule "window, mode and
-- steps must be the same for every row of a group" held only for some rows
-- and some plans; a partial plan over rows outside the packable years
-- (858-3141) failed; more than 255 funnel aggregates failed under hashed
-- aggregation.  Also the declared state size (SSPACE).
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;

\i sql/include/outcome.sql

CREATE TABLE fd_aggs (agg text);
INSERT INTO fd_aggs VALUES ('window_funnel'), ('window_funnel_times'), ('time_to_convert');

-- 1. Serial plans: the row that differs from its group matches none of its
-- own steps (0.2.0 skipped the check for it and answered silently).
CREATE TABLE fd_rows (c int, ts timestamptz, e text, steps text[], win interval, mode text);
INSERT INTO fd_rows VALUES
	(1, '2026-01-01 00:00', 'a', '{a,b}', '1 hour', ''),
	(1, '2026-01-01 00:01', 'b', '{a,c}', '1 hour', ''),	-- other steps: 'b' matches none of {a,c}
	(2, '2026-01-01 00:00', 'a', '{a,b}', '1 hour', ''),
	(2, '2026-01-01 00:01', 'x', '{a,b}', '2 hours', ''),	-- other window, matches nothing
	(3, '2026-01-01 00:00', 'a', '{a,b}', '1 hour', ''),
	(3, '2026-01-01 00:01', 'x', '{a,b}', '1 hour', 'strict_increase'),	-- other mode, matches nothing
	(4, '2026-01-01 00:00', 'a', '{a,b}', '1 hour', ''),
	(4, '2026-01-01 00:01', 'b', '{a,b}', '1 hour', '');	-- all the same
SELECT c, agg, pg_temp.outcome(format($q$SELECT %s(win, mode, ts, e, steps) FROM fd_rows WHERE c = %s$q$, agg, c)) AS event_form,
	   pg_temp.outcome(format($q$SELECT %s(win, mode, ts, e = 'a', e = 'b') FROM fd_rows WHERE c = %s$q$, agg, c)) AS conditions,
	   pg_temp.outcome(format($q$SELECT %s(win, ts, e, steps) FROM fd_rows WHERE c = %s$q$, agg, c)) AS no_mode
FROM fd_rows, fd_aggs GROUP BY c, agg ORDER BY c, agg;
-- the message, and the same under hashed aggregation
SELECT window_funnel(interval '1 hour', ts, e, steps) FROM fd_rows WHERE c = 1;
SET enable_sort = off;
SELECT c, window_funnel(win, ts, e = 'a', e = 'b') FROM fd_rows GROUP BY c;
RESET enable_sort;
SELECT c, window_funnel(win, mode, ts, e, steps), window_funnel_times(win, mode, ts, e, steps),
	   time_to_convert(win, mode, ts, e, steps)
FROM fd_rows WHERE c = 4 GROUP BY c;

-- 2. Partial plans: each partition's rows agree within the partition, not
-- across partitions, so only combine sees the difference.  GROUP BY is not
-- on the partition key: each partition is aggregated partially.  Steps,
-- window and mode differ in turn, with packed rows (up to 8 steps) and
-- wide rows (9 steps).
CREATE TABLE fd_parts (part int, c int, ts timestamptz, e text, steps text[], steps9 text[],
					   win interval, mode text) PARTITION BY LIST (part);
CREATE TABLE fd_parts_1 PARTITION OF fd_parts FOR VALUES IN (1);
CREATE TABLE fd_parts_2 PARTITION OF fd_parts FOR VALUES IN (2);
INSERT INTO fd_parts
	SELECT p, c, timestamptz '2026-01-01' + (r * 10 + p) * interval '1 minute',
		   CASE p WHEN 1 THEN 'a' ELSE 'c' END,
		   CASE p WHEN 1 THEN '{a,b,c}' ELSE '{a,c,b}' END::text[],
		   CASE p WHEN 1 THEN '{a,b,c,d,e,f,g,h,i}' ELSE '{a,c,b,d,e,f,g,h,i}' END::text[],
		   CASE p WHEN 1 THEN interval '1 hour' ELSE interval '2 hours' END,
		   CASE p WHEN 1 THEN '' ELSE 'strict_increase' END
	FROM generate_series(1, 2) p, generate_series(1, 10) c, generate_series(1, 300) r;
ANALYZE fd_parts;
CREATE TABLE fd_queries (what text, query text);
INSERT INTO fd_queries VALUES
	('steps, packed', $q$SELECT c, %s(interval '1 hour', ts, e, steps) FROM fd_parts GROUP BY c$q$),
	('steps, wide', $q$SELECT c, %s(interval '1 hour', ts, e, steps9) FROM fd_parts GROUP BY c$q$),
	('window, packed', $q$SELECT c, %s(win, ts, e = 'a', e = 'c') FROM fd_parts GROUP BY c$q$),
	('window, wide', $q$SELECT c, %s(win, ts, e = 'a', e = 'c', e = 'x', e = 'x', e = 'x', e = 'x', e = 'x', e = 'x', e = 'x') FROM fd_parts GROUP BY c$q$),
	('mode, packed', $q$SELECT c, %s(interval '1 hour', mode, ts, e, ARRAY['a', 'c']) FROM fd_parts GROUP BY c$q$),
	('mode, wide', $q$SELECT c, %s(interval '1 hour', mode, ts, e, ARRAY['a', 'c', 'x', 'x', 'x', 'x', 'x', 'x', 'x']) FROM fd_parts GROUP BY c$q$);
CREATE VIEW fd_outcomes AS
	SELECT what, string_agg(agg || ' ' || pg_temp.outcome(format(query, agg)), ', ' ORDER BY agg) AS outcomes
	FROM fd_queries, fd_aggs GROUP BY what ORDER BY what;

-- serial
EXPLAIN (COSTS OFF) SELECT c, window_funnel(interval '1 hour', ts, e, steps) FROM fd_parts GROUP BY c;
SELECT * FROM fd_outcomes;
-- partitionwise: a partial aggregate per partition, combined
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT c, window_funnel(interval '1 hour', ts, e, steps) FROM fd_parts GROUP BY c;
SELECT * FROM fd_outcomes;
-- parallel, partitionwise and not
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT c, window_funnel(interval '1 hour', ts, e, steps) FROM fd_parts GROUP BY c;
SELECT * FROM fd_outcomes;
SET enable_partitionwise_aggregate = off;
EXPLAIN (COSTS OFF) SELECT c, window_funnel(interval '1 hour', ts, e, steps) FROM fd_parts GROUP BY c;
SELECT * FROM fd_outcomes;
RESET ALL;
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;

-- 3. Rows outside the packable years in one partial state and ordinary
-- rows in another: a partial plan gives the serial answer.  Partition 1
-- holds the 'a' rows, partition 2 the 'b' rows 30 seconds after each.
-- Customers 1 and 2 have their 'a' rows in the year 800 (level 1), 3 one
-- more at -infinity, 4 one more 'b' at +infinity, 5 one more 'b' in the
-- year 800; the others are ordinary.
CREATE TABLE fd_far (part int, c int, ts timestamptz, e text) PARTITION BY LIST (part);
CREATE TABLE fd_far_1 PARTITION OF fd_far FOR VALUES IN (1);
CREATE TABLE fd_far_2 PARTITION OF fd_far FOR VALUES IN (2);
INSERT INTO fd_far
	SELECT p, c,
		   CASE WHEN p = 1 AND c <= 2 THEN timestamptz '0800-01-01' ELSE timestamptz '2026-01-01' END
			 + r * interval '10 minutes' + (p - 1) * interval '30 seconds',
		   CASE p WHEN 1 THEN 'a' ELSE 'b' END
	FROM generate_series(1, 2) p, generate_series(1, 10) c, generate_series(1, 300) r;
INSERT INTO fd_far VALUES (1, 3, '-infinity', 'a'), (2, 4, 'infinity', 'b'), (2, 5, '0800-06-01', 'b');
ANALYZE fd_far;
CREATE VIEW fd_far_answers AS
	SELECT c, window_funnel(interval '1 hour', ts, e = 'a', e = 'b') AS level,
		   window_funnel(interval '1 hour', ts, e, ARRAY['a', 'b']) AS level_by_event,
		   window_funnel_times(interval '1 hour', ts, e = 'a', e = 'b') AS times,
		   window_funnel_times(interval '1 hour', ts, e, ARRAY['a', 'b']) AS times_by_event,
		   time_to_convert(interval '1 hour', ts, e = 'a', e = 'b') AS ttc,
		   time_to_convert(interval '1 hour', 'strict_order', ts, e, ARRAY['a', 'b']) AS ttc_by_event
	FROM fd_far GROUP BY c;
CREATE TABLE fd_far_serial AS SELECT * FROM fd_far_answers;
SELECT c, level, level_by_event, times, ttc, ttc_by_event,
	   times = times_by_event AS same_times
FROM fd_far_serial ORDER BY c;
CREATE VIEW fd_far_differing AS
	SELECT count(*) AS differing_customers
	FROM fd_far_serial s FULL JOIN fd_far_answers a USING (c)
	WHERE (s.*) IS DISTINCT FROM (a.*);
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT * FROM fd_far_answers;
SELECT * FROM fd_far_differing;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT * FROM fd_far_answers;
SELECT * FROM fd_far_differing;
SET enable_partitionwise_aggregate = off;
EXPLAIN (COSTS OFF) SELECT * FROM fd_far_answers;
SELECT * FROM fd_far_differing;
RESET ALL;
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;

-- 4. 300 funnel aggregates of one query (different windows, so 300
-- transition states per group), under hashed and sorted aggregation.
-- Customer c has 'a' at 00:00 and 'b' at c minutes (c = 1 .. 10); the
-- aggregate of window i minutes reaches step 2 for the customers c <= i:
-- 2955 conversions (45 for i < 10, 291 * 10 for the others), levels sum to
-- 3000 + 2955 = 5955, and the conversions last 165 + 291 * 55 = 16170
-- minutes (269:30:00).
CREATE TABLE fd_many AS
	SELECT c, timestamptz '2026-01-01' + m * interval '1 minute' AS ts, e
	FROM generate_series(1, 10) c, LATERAL (VALUES (0, 'a'), (c, 'b')) v(m, e);
ANALYZE fd_many;
-- the grouping node of the plan, and total over the 300 results of each customer
CREATE FUNCTION pg_temp.many(agg text, total text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	query text;
	line text;
	node text := '';
	result text;
BEGIN
	SELECT format('SELECT (%s)::text FROM (SELECT c, %s FROM fd_many GROUP BY c) s, jsonb_each_text(to_jsonb(s) - ''c'') j',
				  total, string_agg(format('%s(interval ''%s minutes'', ts, e = ''a'', e = ''b'') AS a%s', agg, i, i), ', ' ORDER BY i))
	INTO query FROM generate_series(1, 300) i;
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		IF line ~ '(Hash|Group)Aggregate' THEN
			node := substring(line FROM '\w+Aggregate');
		END IF;
	END LOOP;
	EXECUTE query INTO result;
	RETURN node || ': ' || result;
END $$;
CREATE TABLE fd_many_totals (agg text, total text);
INSERT INTO fd_many_totals VALUES
	('window_funnel', $t$count(*) || ' results, levels ' || sum(j.value::int)$t$),
	('window_funnel_times', $t$count(*) || ' results, times ' || sum(jsonb_array_length(j.value::jsonb))$t$),
	('time_to_convert', $t$count(j.value) || ' conversions, ' || sum(j.value::interval)$t$);
SET enable_sort = off;
SELECT agg, pg_temp.many(agg, total) FROM fd_many_totals ORDER BY agg;
RESET enable_sort;
SET enable_hashagg = off;
SELECT agg, pg_temp.many(agg, total) FROM fd_many_totals ORDER BY agg;
RESET enable_hashagg;

-- 5. time_to_convert of a complete chain at infinity has no finite
-- duration: 22008, as before; window_funnel and window_funnel_times answer
SELECT window_funnel(interval '1 hour', ts, e = 'a', e = 'b') AS level,
	   window_funnel_times(interval '1 hour', ts, e = 'a', e = 'b') AS times
FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b')) v(ts, e);
SELECT time_to_convert(interval '1 hour', ts, e = 'a', e = 'b')
FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b')) v(ts, e);
SELECT pg_temp.outcome($q$SELECT time_to_convert(interval '1 hour', 'strict_order', ts, e = 'a', e = 'b')
	FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b')) v(ts, e)$q$) AS sqlstate;
SELECT time_to_convert(interval '1 hour', ts, e, ARRAY['a', 'b'])
FROM (VALUES (timestamptz '-infinity', 'a'), ('-infinity', 'b')) v(ts, e);

-- 6. The declared state size (SSPACE) of the twelve funnel aggregates is
-- FUNNEL_STATE_SPACE of src/funnel/funnel_state.h: 256 bytes, the header
-- and 27 rows inline.
SELECT aggfnoid::regprocedure AS aggregate, aggtransspace
FROM pg_aggregate
WHERE aggtransfn IN ('window_funnel_transfn'::regproc, 'window_funnel_mode_transfn'::regproc,
					 'window_funnel_event_transfn'::regproc, 'window_funnel_event_mode_transfn'::regproc)
ORDER BY aggfnoid::regprocedure::text;

DROP TABLE fd_aggs, fd_rows, fd_queries, fd_parts, fd_far, fd_far_serial, fd_many, fd_many_totals CASCADE;
