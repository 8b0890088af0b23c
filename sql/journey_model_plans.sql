-- journey_model_agg in every plan: serial = parallel = || of parts = the
-- counts computed by brute force in SQL; its text form carries partial
-- states between "nodes" as Citus does, under different settings; and
-- reach_probability against a brute-force value iteration.
SET timezone = 'UTC';
SET client_min_messages = warning;
-- 4,000 customers, 0 to 11 steps each over 6 labels (one needs quotes),
-- times an hour apart from a per-customer start
CREATE TABLE jp_paths AS
	SELECT c AS customer,
		   (SELECT milestone_path_agg((ARRAY['visit', 'b', 'cart', 'a"b', 'é', 'z'])[1 + abs(hashint4(c * 31 + i)) % 6],
									  timestamptz '2026-01-01' + (c % 97) * interval '1 day' + i * interval '1 hour')
			FROM generate_series(1, abs(hashint4(c)) % 12) i) AS p
	FROM generate_series(1, 4000) c;
UPDATE jp_paths SET p = NULL WHERE customer % 50 = 0;
ANALYZE jp_paths;
SELECT count(*) AS customers, count(p) AS paths, sum(length(p)) AS steps FROM jp_paths;

-- 1. the counts by brute force: each step's two previous labels (NULL:
--    the start) and the next (NULL: the end, after the last step)
CREATE TABLE jp_brute AS
	WITH steps AS (
		SELECT customer, s.n, s.label, length(p) AS len
		FROM jp_paths, unnest(milestones(p)) WITH ORDINALITY s(label, n) WHERE p IS NOT NULL
		UNION ALL SELECT customer, length(p) + 1, NULL, length(p) FROM jp_paths WHERE p IS NOT NULL
	), ctx AS (
		SELECT ARRAY[lag(label, 2) OVER w, lag(label, 1) OVER w] AS context, label AS next
		FROM steps WINDOW w AS (PARTITION BY customer ORDER BY n)
	)
	SELECT context::text AS context, next, count(*) AS transitions FROM ctx GROUP BY 1, 2;
SELECT count(*) AS brute_transitions, sum(transitions) AS brute_total FROM jp_brute;
CREATE FUNCTION pg_temp.differs_from_brute(m journey_model) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM (SELECT context::text AS context, next, transitions FROM journey_transitions(m)) t
	FULL JOIN jp_brute b ON b.context = t.context AND b.next IS NOT DISTINCT FROM t.next
	WHERE t.transitions IS DISTINCT FROM b.transitions
$$;

-- 2. serial, parallel (hashed and plain), || of two halves: the same model
SET max_parallel_workers_per_gather = 0;
CREATE TABLE jp_serial AS SELECT journey_model_agg(p, 2) AS m FROM jp_paths;
SELECT pg_temp.differs_from_brute(m) AS serial_differs FROM jp_serial;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT journey_model_agg(p, 2) FROM jp_paths;
SELECT (SELECT journey_model_agg(p, 2) FROM jp_paths)::text = m::text AS parallel_same FROM jp_serial;
SELECT count(*) AS parallel_groups_differing FROM (
	SELECT customer % 3 AS g, journey_model_agg(p, 2)::text AS m FROM jp_paths GROUP BY 1) par
	JOIN (SELECT g, m::text AS m FROM (VALUES (0), (1), (2)) v(g),
		  LATERAL (SELECT journey_model_agg(p, 2) AS m FROM jp_paths WHERE customer % 3 = g) s) ser USING (g)
	WHERE par.m IS DISTINCT FROM ser.m;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
SELECT ((SELECT journey_model_agg(p, 2) FROM jp_paths WHERE customer <= 1500)
		|| (SELECT journey_model_agg(p, 2) FROM jp_paths WHERE customer > 1500))::text = m::text AS merged_same
FROM jp_serial;
-- many groups, hashed with a small work_mem (groups spill to disk) = sorted;
-- the 8 groups whose paths are all NULL (customer % 50 = 0) are NULL both ways
SET work_mem = '64kB'; SET hash_mem_multiplier = 1; SET enable_sort = off;
CREATE TABLE jp_hashed AS SELECT customer % 400 AS g, journey_model_agg(p, 1)::text AS m FROM jp_paths GROUP BY 1;
RESET enable_sort; SET enable_hashagg = off;
SELECT count(*) AS spilled_groups_differing, count(*) FILTER (WHERE s.m IS NULL) AS null_groups
FROM jp_hashed h FULL JOIN (SELECT customer % 400 AS g, journey_model_agg(p, 1)::text AS m FROM jp_paths GROUP BY 1) s
	USING (g)
WHERE h.m IS DISTINCT FROM s.m OR s.m IS NULL;
RESET work_mem; RESET hash_mem_multiplier; RESET enable_hashagg;
-- as a window aggregate (a running model): the last row's model is the whole one
SELECT (SELECT m FROM (SELECT customer, journey_model_agg(p, 2) OVER (ORDER BY customer)::text AS m
		FROM jp_paths) w ORDER BY customer DESC LIMIT 1) = m::text AS window_same
FROM jp_serial;

-- 3. partial states as text between "nodes" with different settings (as
--    Citus ships them): read back and merged, the same model as one aggregate
CREATE TABLE jp_parts (part int, m journey_model);
INSERT INTO jp_parts SELECT customer % 2, journey_model_agg(p, 2, '2026-03-01 12:00:00+00')
	FROM jp_paths GROUP BY 1;
CREATE TABLE jp_texts (setting text, part int, m text);
SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard'; SET TimeZone = 'America/St_Johns';
INSERT INTO jp_texts SELECT 'sql', part, m::text FROM jp_parts;
SET DateStyle = 'German'; SET IntervalStyle = 'iso_8601'; SET TimeZone = 'Asia/Kathmandu';
INSERT INTO jp_texts SELECT 'german', part, m::text FROM jp_parts;
SELECT count(DISTINCT m) AS distinct_texts_per_part FROM jp_texts GROUP BY part;
SET DateStyle = 'Postgres, MDY'; SET TimeZone = 'Pacific/Chatham';
SELECT (a.m::journey_model || b.m::journey_model)::text
	   = (SELECT journey_model_agg(p, 2, '2026-03-01 12:00:00+00') FROM jp_paths)::text AS citus_merge_same
FROM jp_texts a JOIN jp_texts b ON a.part = 0 AND b.part = 1 AND a.setting = 'sql' AND b.setting = 'german';
RESET DateStyle; RESET IntervalStyle; SET TimeZone = 'UTC';

-- 4. reach_probability against a brute-force value iteration (order 1,
--    min_support 1 so that no context backs off), every label as target
CREATE FUNCTION pg_temp.reach_brute(m journey_model, target text) RETURNS TABLE(state text, h float8)
LANGUAGE plpgsql AS $$
DECLARE
	i int;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS jp_t (state text, next text, probability float8);
	TRUNCATE jp_t;
	INSERT INTO jp_t SELECT coalesce(t.context[1], '^'), t.next, t.probability FROM journey_transitions(m) t;
	CREATE TEMP TABLE IF NOT EXISTS jp_h (state text PRIMARY KEY, h float8);
	TRUNCATE jp_h;
	INSERT INTO jp_h SELECT DISTINCT jp_t.state, 0 FROM jp_t;
	FOR i IN 1 .. 3000 LOOP
		UPDATE jp_h SET h = s.v FROM (
			SELECT t.state, sum(t.probability * CASE WHEN t.next = target THEN 1
				WHEN t.next IS NULL THEN 0 ELSE coalesce(n.h, 0) END) AS v
			FROM jp_t t LEFT JOIN jp_h n ON n.state = t.next GROUP BY t.state) s
		WHERE jp_h.state = s.state;
	END LOOP;
	RETURN QUERY SELECT jp_h.state, jp_h.h FROM jp_h;
END $$;
CREATE TABLE jp_one AS SELECT journey_model_agg(p) AS m FROM jp_paths;
CREATE FUNCTION pg_temp.one_step(label text) RETURNS milestone_path LANGUAGE sql AS $$
	SELECT CASE WHEN label = '^' THEN ''::milestone_path ELSE milestone_path_agg(label, timestamptz '2026-01-01') END
$$;
SELECT t.target, count(*) AS states,
	   max(abs(b.h - reach_probability(o.m, pg_temp.one_step(b.state), t.target, 1))) < 1e-9 AS agrees
FROM jp_one o, unnest(ARRAY['visit', 'b', 'cart', 'a"b', 'é', 'z']) t(target),
	 LATERAL pg_temp.reach_brute(o.m, t.target) b
GROUP BY t.target ORDER BY t.target;

-- 5. the counting index is rebuilt as labels arrive: 1,000 paths over 5
--    labels, then 1,000 over 60 (rows in that order): k = 1 widens it, k = 3
--    outgrows it and goes on with the hash table alone; both = brute force
CREATE TABLE jp_grow AS
	SELECT c AS customer,
		   (SELECT milestone_path_agg('l' || abs(hashint4(c * 17 + i)) % CASE WHEN c <= 1000 THEN 5 ELSE 60 END,
									  timestamptz '2026-01-01' + i * interval '1 minute')
			FROM generate_series(1, 1 + abs(hashint4(c)) % 15) i) AS p
	FROM generate_series(1, 2000) c;
CREATE FUNCTION pg_temp.grow_differs(k int) RETURNS bigint LANGUAGE sql AS $$
	WITH steps AS (
		SELECT customer, s.n, s.label FROM jp_grow, unnest(milestones(p)) WITH ORDINALITY s(label, n)
		UNION ALL SELECT customer, length(p) + 1, NULL FROM jp_grow
	), ctx AS (
		SELECT (ARRAY[lag(label, 3) OVER w, lag(label, 2) OVER w, lag(label, 1) OVER w])[4 - k : 3] AS context,
			   label AS next
		FROM steps WINDOW w AS (PARTITION BY customer ORDER BY n)
	), brute AS (SELECT context::text AS context, next, count(*) AS transitions FROM ctx GROUP BY 1, 2)
	SELECT count(*) FROM (SELECT context::text AS context, next, transitions
						  FROM journey_transitions((SELECT journey_model_agg(p, k ORDER BY customer) FROM jp_grow))) t
	FULL JOIN brute b ON b.context = t.context AND b.next IS NOT DISTINCT FROM t.next
	WHERE t.transitions IS DISTINCT FROM b.transitions
$$;
SELECT pg_temp.grow_differs(1) AS k1_differs, pg_temp.grow_differs(3) AS k3_differs,
	   (SELECT count(*) FROM journey_transitions((SELECT journey_model_agg(p, 3) FROM jp_grow))) AS k3_transitions;
