-- milestone_path_agg in every plan shape gives the bytes of the serial hashed
-- plan: parallel (partial states serialized, combined), hashed with spilling,
-- sorted over an index (rows arriving in time order, ties in either label
-- order), several calls and grouping sets in one query, rescans, windows; and
-- the memory a hashed aggregation holds per group.
SET timezone = 'UTC';
-- 3,000 customers, 0 to 39 rows each, times on a 10-minute grid (many ties,
-- also between different labels), labels whose byte order differs from
-- their order of appearance; some NULL labels and times
CREATE TABLE pap AS
	SELECT (i % 3000) AS customer,
		   CASE WHEN abs(hashint4(i * 7)) % 50 = 0 THEN NULL
				ELSE timestamptz '2026-01-01' + (abs(hashint4(i * 3 + 1)) % 40) * interval '10 minutes' END AS at,
		   CASE WHEN abs(hashint4(i * 11)) % 40 = 0 THEN NULL
				ELSE (ARRAY['visit', 'b', 'B', 'ab', 'é', 'cart', 'a"b', 'z'])[1 + abs(hashint4(i)) % 8] END AS label
	FROM generate_series(1, 60000) i
	WHERE abs(hashint4(i * 5 + 2)) % 100 < 100 - (i % 3000) % 40 * 2;
-- a customer whose every row is skipped: NULL
INSERT INTO pap VALUES (5000, NULL, 'visit'), (5000, '2026-01-01', NULL);
ANALYZE pap;
SELECT count(*) AS rows, count(DISTINCT customer) AS customers FROM pap;
-- the reference: the serial hashed plan
SET max_parallel_workers_per_gather = 0;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer;
CREATE TABLE pap_ref AS SELECT customer, milestone_path_agg(label, at) AS p FROM pap GROUP BY customer;
RESET enable_sort;
-- its bytes are those of the rows in SQL order (time, label bytes) built by
-- the path's JSON input, which does not use the aggregate
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE p IS NOT DISTINCT FROM j) AS same_as_json_built,
	   count(*) FILTER (WHERE p IS NULL) AS no_row_left
FROM pap_ref JOIN
	 (SELECT customer, milestone_path(json_agg(json_build_object('label', label, 'at', at) ORDER BY at, label COLLATE "C")
										FILTER (WHERE label IS NOT NULL AND at IS NOT NULL)) AS j
	  FROM pap GROUP BY customer) x USING (customer);

-- A function comparing a query's (customer, path) rows with the reference,
-- byte for byte: the number of customers whose path differs.
CREATE FUNCTION pg_temp.differing(query text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM (%s) q(customer, p) FULL JOIN pap_ref r USING (customer)
					WHERE milestone_path_send(q.p) IS DISTINCT FROM milestone_path_send(r.p)', query) INTO n;
	RETURN n;
END $$;
-- the HashAggregate batches of a query (more than 1: it spilled)
CREATE FUNCTION pg_temp.hash_batches(query text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	RETURN (SELECT max((m[1])::int) FROM regexp_matches(plan::text, '"HashAgg Batches": (\d+)', 'g') m);
END $$;

-- 1. parallel plans, hashed and sorted: worker states serialized, combined
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer;
SELECT pg_temp.differing('SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer') AS parallel_hashed;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer;
SELECT pg_temp.differing('SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer') AS parallel_sorted;
RESET enable_hashagg;
RESET parallel_leader_participation;
-- few groups: each worker's state of a group holds many rows
SELECT count(*) FILTER (WHERE milestone_path_send(p) IS DISTINCT FROM milestone_path_send(s)) AS parallel_big_groups_differing
FROM (SELECT customer % 3 AS g, milestone_path_agg(label, at) AS p FROM pap GROUP BY 1) par
JOIN (SELECT g, milestone_path_agg(label, at ORDER BY at DESC) AS s FROM (SELECT customer % 3 AS g, label, at FROM pap) x GROUP BY g) ser USING (g);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;

-- 2. hashed aggregation spilling to disk: states finalized batch by batch
SET work_mem = '64kB'; SET hash_mem_multiplier = 1; SET enable_sort = off;
SELECT pg_temp.hash_batches('SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer') > 1 AS spilled;
SELECT pg_temp.differing('SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer') AS spilling_hashed;
RESET work_mem; RESET hash_mem_multiplier; RESET enable_sort;

-- 3. sorted input: a GroupAggregate over an index gives each customer's rows
-- in time order (the final sort is skipped), ties in index order, which may
-- put a label before a smaller one
CREATE INDEX pap_customer_at ON pap (customer, at) INCLUDE (label);
SET enable_hashagg = off; SET enable_seqscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer;
SELECT pg_temp.differing('SELECT customer, milestone_path_agg(label, at) FROM pap GROUP BY customer') AS sorted_index;
RESET enable_hashagg; RESET enable_seqscan; RESET enable_bitmapscan;
-- rows in path order, in reverse, ties each way: the same bytes
SELECT pg_temp.differing('SELECT customer, milestone_path_agg(label, at ORDER BY at, label COLLATE "C") FROM pap GROUP BY customer') AS in_path_order,
	   pg_temp.differing('SELECT customer, milestone_path_agg(label, at ORDER BY at, label COLLATE "C" DESC) FROM pap GROUP BY customer') AS ties_reversed,
	   pg_temp.differing('SELECT customer, milestone_path_agg(label, at ORDER BY at DESC, label COLLATE "C" DESC) FROM pap GROUP BY customer') AS all_reversed;
-- one instant, labels arriving in byte order and against it
SELECT milestone_path_agg(l, '2026-01-01' ORDER BY n) AS in_order,
	   milestone_path_agg(l, '2026-01-01' ORDER BY n DESC) AS reversed
FROM (VALUES (1, 'B'), (2, 'a'), (3, 'a'), (4, 'ab'), (5, 'b')) v(n, l);
-- rows of a customer in runs of 1 to 9 between other customers' runs, the
-- runs shuffled; hashed, serial
CREATE TABLE pap_runs AS
	SELECT customer, at, label FROM
		(SELECT *, row_number() OVER (PARTITION BY customer ORDER BY at DESC, label) AS rn FROM pap) x
	ORDER BY abs(hashint4(customer * 31 + (rn / (1 + customer % 9))::int)), customer, rn;
SET enable_sort = off;
SELECT pg_temp.differing('SELECT customer, milestone_path_agg(label, at) FROM pap_runs GROUP BY customer') AS in_runs;
RESET enable_sort;
DROP TABLE pap_runs;
-- 15, 16 and 17 groups taking turns, 6 rows each (a segment holds 5): every
-- row but a segment's first is queued before it is written, so at the first
-- final call the queue's 16 rows, at three different offsets in it, belong to
-- 15 or 16 groups; each group against its path built by the JSON input
CREATE FUNCTION pg_temp.taking_turns(groups int) RETURNS text LANGUAGE sql AS $$
	WITH r AS (SELECT i % groups AS g, (ARRAY['b', 'a', 'ab'])[1 + i % 3] AS l,
					  timestamptz '2026-01-01' + (i * 7 % 5) * interval '1 minute' AS t
			   FROM generate_series(0, 6 * groups - 1) i)
	SELECT count(*) FILTER (WHERE milestone_path_send(p) = milestone_path_send(j)) || ' of ' || groups
	FROM (SELECT g, milestone_path_agg(l, t) AS p FROM r GROUP BY g) a
		 JOIN (SELECT g, milestone_path(json_agg(json_build_object('label', l, 'at', t) ORDER BY t, l COLLATE "C")) AS j
			   FROM r GROUP BY g) b USING (g)
$$;
SET enable_sort = off;
SELECT pg_temp.taking_turns(15) AS equal_15, pg_temp.taking_turns(16) AS equal_16,
	   pg_temp.taking_turns(17) AS equal_17;
RESET enable_sort;

-- 4. several calls in one query (each numbers its own labels), grouping
-- sets (sorted: one aggregate context per set), and the same rows twice
SET enable_hashagg = off;
SELECT count(*) FILTER (WHERE milestone_path_send(p1) IS DISTINCT FROM milestone_path_send(r.p)) AS first_call_differing,
	   count(*) FILTER (WHERE milestone_path_send(p2) IS DISTINCT FROM milestone_path_send(upper_ref)) AS second_call_differing
FROM (SELECT customer, milestone_path_agg(label, at) AS p1, milestone_path_agg(upper(label), at) AS p2 FROM pap GROUP BY customer) q
JOIN pap_ref r USING (customer)
JOIN (SELECT customer, milestone_path_agg(upper(label), at) AS upper_ref FROM pap GROUP BY customer) u USING (customer);
SELECT count(*) FILTER (WHERE customer IS NOT NULL AND milestone_path_send(p) IS DISTINCT FROM (SELECT milestone_path_send(r.p) FROM pap_ref r WHERE r.customer = g.customer)) AS per_customer_differing,
	   count(*) FILTER (WHERE customer IS NULL AND p = (SELECT milestone_path_agg(label, at) FROM pap)) AS all_rows_same
FROM (SELECT customer, milestone_path_agg(label, at) AS p FROM pap GROUP BY GROUPING SETS ((customer), ())) g;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) FILTER (WHERE milestone_path_send(p) IS DISTINCT FROM (SELECT milestone_path_send(r.p) FROM pap_ref r WHERE r.customer = g.customer)) AS hashed_sets_differing,
	   count(*) AS groups
FROM (SELECT customer, customer % 2 AS half, milestone_path_agg(label, at) AS p FROM pap GROUP BY GROUPING SETS ((customer), (customer, half))) g;
RESET enable_sort;

-- 5. rescans (the aggregate context is reset between them) and windows
SELECT count(*) FILTER (WHERE milestone_path_send(l.p) IS DISTINCT FROM milestone_path_send(r.p)) AS rescanned_differing
FROM pap_ref r, LATERAL (SELECT milestone_path_agg(label, at) AS p FROM pap WHERE pap.customer = r.customer) l
WHERE r.customer % 10 = 0;
SELECT count(*) FILTER (WHERE milestone_path_send(w.p) IS DISTINCT FROM milestone_path_send(r.p)) AS window_differing
FROM (SELECT DISTINCT customer, milestone_path_agg(label, at) OVER (PARTITION BY customer) AS p FROM pap) w
JOIN pap_ref r USING (customer);
-- a moving frame restarts the aggregate for each row
SELECT n, milestone_path_agg(l, t) OVER (ORDER BY n ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 'b', '2024-01-03'::timestamptz), (2, 'a', '2024-01-02'), (3, 'c', '2024-01-01'),
			 (4, 'a', '2024-01-01'), (5, 'b', '2024-01-05')) v(n, l, t);

-- 6. memory: the hashed aggregation holds, above what count(*) holds for the
-- same groups, at most its layout: per group a 16-byte head (32 bytes with
-- palloc's chunk header) and a 64-byte segment per 5 rows (12 bytes each:
-- time and label number, and a 4-byte link), plus 2 MB for the arena's last
-- block and the label dictionary and 8 MB for the last block of the
-- aggregate context, where the heads are (its blocks grow to 8 MB), from
-- EXPLAIN's peak memory of the HashAggregate.  (0.2.0 held 1.2 kB more per
-- group: 24 MB here.)
CREATE FUNCTION pg_temp.hash_kb(query text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	RETURN (SELECT max((m[1])::bigint) FROM regexp_matches(plan::text, '"Peak Memory Usage": (\d+)', 'g') m);
END $$;
CREATE TABLE pam AS
	SELECT (abs(hashint4(i)) % 20000) AS customer,
		   timestamptz '2026-01-01' + i * interval '1 second' AS at,
		   (ARRAY['visit', 'view_product', 'add_to_cart', 'purchase', 'signup'])[1 + i % 5] AS label
	FROM generate_series(1, 400000) i;
ANALYZE pam;
SET work_mem = '1GB'; SET enable_sort = off;
SELECT pg_temp.hash_kb('SELECT customer, milestone_path_agg(label, at) FROM pam GROUP BY customer') * 1024
	   - pg_temp.hash_kb('SELECT customer, count(*) FROM pam GROUP BY customer') * 1024
	   <= (SELECT sum(32 + 64 * ceil(n / 5.0)) + (2 + 8) * 1024 * 1024
		   FROM (SELECT count(*) AS n FROM pam GROUP BY customer) g) AS within_bound;
RESET work_mem; RESET enable_sort;
RESET max_parallel_workers_per_gather;
