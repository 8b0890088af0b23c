-- Under hashed aggregation the rows of all groups arrive interleaved, each
-- appended to its group's state in one hash table.  Every
-- kind of state and plan must give what sorted aggregation (one group at a
-- time) gives: single-step rows (the one-pass evaluation),
-- rows matching two steps and times outside the packed range (the general
-- evaluation), states shared with time_to_convert, windows that differ
-- between groups, FILTER, grouping sets and a hash table that spills.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
CREATE TABLE hev AS
	SELECT (i % 3000) AS customer,
		   CASE WHEN i % 3000 < 20 THEN timestamptz '0700-01-01' ELSE timestamptz '2026-01-01' END
		     + (abs(hashint4(i * 7 + 3)) % 4000) * interval '1 minute' AS ts,
		   -- customers 100-199 also have rows matching steps 1 and 2 at once
		   (ARRAY['a', 'b', 'c', 'x', 'a', 'b', 'd',
				  CASE WHEN i % 3000 BETWEEN 100 AND 199 THEN 'ab' ELSE 'a' END])[1 + abs(hashint4(i)) % 8] AS e
	FROM generate_series(1, 90000) i;
ANALYZE hev;

CREATE VIEW hev_answers AS
	SELECT customer,
		   window_funnel(interval '3 hours', ts, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c', e = 'd') AS plain,
		   window_funnel(interval '3 hours', ts, e, ARRAY['a', 'b', 'c', 'd']) AS by_event,
		   time_to_convert(interval '3 hours', ts, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c', e = 'd') AS ttc,
		   window_funnel_times(interval '3 hours', ts, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c', e = 'd') AS times,
		   window_funnel(interval '1 hour' * (1 + customer % 4), ts, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c') AS varying,
		   window_funnel(interval '3 hours', ts, e = 'a', e = 'b', e = 'c') FILTER (WHERE e <> 'x') AS filtered,
		   window_funnel(interval '3 hours', 'strict_increase', ts, e = 'a', e = 'b', e = 'c') AS strict,
		   -- rows matching no step are kept too: a chain breaks at them
		   window_funnel(interval '3 hours', 'strict_order', ts, e IN ('a', 'ab'), e IN ('b', 'ab')) AS strict_order
	FROM hev GROUP BY customer;

-- the reference: sorted aggregation
SET enable_hashagg = off;
CREATE TABLE sorted_answers AS SELECT * FROM hev_answers;
RESET enable_hashagg;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT * FROM hev_answers;
SELECT count(*) AS customers, sum(plain) AS plain, sum(by_event) AS by_event, count(ttc) AS converted,
	   sum(varying) AS varying, sum(filtered) AS filtered, sum(strict) AS strict,
	   sum(strict_order) AS strict_order
FROM sorted_answers;
SELECT count(*) AS differing_customers
FROM sorted_answers s FULL JOIN hev_answers h USING (customer)
WHERE (s.*) IS DISTINCT FROM (h.*);

-- a hash table that spills to disk: each batch builds its groups afresh
SET work_mem = '256kB';
SET hash_mem_multiplier = 1;
CREATE FUNCTION hash_batches(query text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) ' || query INTO plan;
	RETURN (plan -> 0 -> 'Plan' -> 'Plans' -> 0 ->> 'HashAgg Batches')::int;
END $$;
SELECT hash_batches('SELECT * FROM (SELECT customer, window_funnel(interval ''3 hours'', ts, e = ''a'', e = ''b'') FROM hev GROUP BY customer) s ORDER BY 1') > 1 AS spills;
SELECT count(*) AS differing_customers
FROM sorted_answers s FULL JOIN hev_answers h USING (customer)
WHERE (s.*) IS DISTINCT FROM (h.*);
RESET work_mem;
RESET hash_mem_multiplier;

-- grouping sets: several hash tables in one plan, and hashed sets beside
-- sorted ones (MixedAggregate: the sorted sets' contexts are reset per
-- group); session_stats as well
CREATE INDEX ON hev (customer);
CREATE VIEW hev_sets AS
	SELECT customer, customer % 7 AS g,
		   window_funnel(interval '3 hours', ts, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c') AS level,
		   session_stats(ts, interval '20 minutes') AS st
	FROM hev GROUP BY GROUPING SETS ((customer), (customer % 7));
SET enable_hashagg = off;
CREATE TABLE sorted_sets AS SELECT * FROM hev_sets;
RESET enable_hashagg;
SELECT count(*) AS sets, sum(level) AS levels, sum((st).sessions) AS sessions FROM sorted_sets;
CREATE FUNCTION differing_sets() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*)
	FROM sorted_sets s FULL JOIN hev_sets h
	  ON coalesce(s.customer, -1) = coalesce(h.customer, -1) AND coalesce(s.g, -1) = coalesce(h.g, -1)
	WHERE (s.level, s.st) IS DISTINCT FROM (h.level, h.st)
$$;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT * FROM hev_sets;
SELECT differing_sets();
RESET enable_sort;
SET enable_seqscan = off; SET enable_bitmapscan = off; SET work_mem = '4MB';
EXPLAIN (COSTS OFF) SELECT * FROM hev_sets;
SELECT differing_sets();
RESET ALL;
DROP VIEW hev_answers, hev_sets;
DROP TABLE hev, sorted_answers, sorted_sets;
DROP FUNCTION hash_batches(text), differing_sets();
