-- funnel aggregates in parallel and partitionwise plans give the serial answer
SET timezone = 'UTC';
CREATE TABLE pev AS
	SELECT (i % 2000) AS customer,
		   timestamptz '2026-01-01' + (abs(hashint4(i * 3 + 1)) % 5000) * interval '1 minute' AS ts,
		   (ARRAY['a', 'b', 'c', 'x', 'a', 'b'])[1 + abs(hashint4(i)) % 6] AS e
	FROM generate_series(1, 120000) i;
ANALYZE pev;
-- the serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_answer AS
	SELECT customer,
		   window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') AS plain,
		   window_funnel(interval '2 hours', 'strict_order,strict_deduplication', ts, e = 'a', e = 'b', e = 'c') AS strict,
		   window_funnel_times(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') AS times,
		   time_to_convert(interval '2 hours', 'strict_increase', ts, e = 'a', e = 'b', e = 'c') AS ttc
	FROM pev GROUP BY customer;
SELECT count(*) AS customers, sum(plain) AS plain, sum(strict) AS strict, count(ttc) AS converted FROM serial_answer;
CREATE TABLE serial_groups AS
	SELECT customer % 7 AS g, window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c') AS level,
		   time_to_convert(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c') AS ttc
	FROM pev GROUP BY 1;
-- forced parallel plans, sorted and hashed
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
	SELECT customer, window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') FROM pev GROUP BY customer;
CREATE TABLE parallel_answer AS
	SELECT customer,
		   window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') AS plain,
		   window_funnel(interval '2 hours', 'strict_order,strict_deduplication', ts, e = 'a', e = 'b', e = 'c') AS strict,
		   window_funnel_times(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') AS times,
		   time_to_convert(interval '2 hours', 'strict_increase', ts, e = 'a', e = 'b', e = 'c') AS ttc
	FROM pev GROUP BY customer;
SELECT count(*) AS differing_customers FROM serial_answer s FULL JOIN parallel_answer p USING (customer)
WHERE (s.plain, s.strict, s.times, s.ttc) IS DISTINCT FROM (p.plain, p.strict, p.times, p.ttc);
RESET enable_hashagg; SET enable_sort = off;
EXPLAIN (COSTS OFF)
	SELECT customer, window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') FROM pev GROUP BY customer;
SELECT count(*) AS differing_customers FROM serial_answer s FULL JOIN (
	SELECT customer, window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') AS plain FROM pev GROUP BY customer
) p USING (customer) WHERE s.plain IS DISTINCT FROM p.plain;
RESET enable_sort;
-- one group over every row, split between workers
EXPLAIN (COSTS OFF) SELECT window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') FROM pev;
SELECT window_funnel_times(interval '1 minute', ts, e = 'a', e = 'b', e = 'c') AS parallel_times,
       (SELECT window_funnel_times(interval '1 minute', ts, e = 'a', e = 'b', e = 'c' ORDER BY ts) FROM pev) AS serial_times
FROM pev;

-- partitionwise aggregation over a partitioned events table
RESET ALL;
SET timezone = 'UTC';
CREATE TABLE pev_part (customer int, ts timestamptz, e text) PARTITION BY HASH (customer);
CREATE TABLE pev_part_0 PARTITION OF pev_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE pev_part_1 PARTITION OF pev_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE pev_part_2 PARTITION OF pev_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO pev_part SELECT * FROM pev;
ANALYZE pev_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF)
	SELECT customer, window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') FROM pev_part GROUP BY customer;
SELECT count(*) AS differing_customers FROM serial_answer s FULL JOIN (
	SELECT customer,
		   window_funnel(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') AS plain,
		   window_funnel(interval '2 hours', 'strict_order,strict_deduplication', ts, e = 'a', e = 'b', e = 'c') AS strict,
		   window_funnel_times(interval '2 hours', ts, e = 'a', e = 'b', e = 'c') AS times,
		   time_to_convert(interval '2 hours', 'strict_increase', ts, e = 'a', e = 'b', e = 'c') AS ttc
	FROM pev_part GROUP BY customer
) p USING (customer)
WHERE (s.plain, s.strict, s.times, s.ttc) IS DISTINCT FROM (p.plain, p.strict, p.times, p.ttc);
-- grouping by something else than the partition key: partial aggregates per partition
EXPLAIN (COSTS OFF)
	SELECT customer % 7, window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c') FROM pev_part GROUP BY 1;
SELECT g, p.level AS partitioned, s.level AS serial, p.ttc AS ttc_partitioned, s.ttc AS ttc_serial
FROM (SELECT customer % 7 AS g, window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c') AS level,
			 time_to_convert(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c') AS ttc
	  FROM pev_part GROUP BY 1) p
JOIN serial_groups s USING (g) ORDER BY g;
RESET ALL;
DROP TABLE pev, pev_part, serial_answer, parallel_answer, serial_groups;
