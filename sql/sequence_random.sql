-- Sequence patterns on random customers against independent references:
--  1. (?1).*(?2).* ... .*(?k) against window_funnel (no mode, a window wider
--     than any history) reaching k, on tie-free data;
--  2. linear patterns (atoms (?N) or '.', separated by nothing, '.*', a time
--     condition or both) against a backtracking matcher in PL/pgSQL over the
--     rows sorted in SQL (time, then mask): match, count and events;
--  3. every function over a stored path against its aggregate, for patterns
--     using every construct, on data with many ties;
--  4. the same rows in three random orders, and parallel plans (partial
--     states through serialize / deserialize / combine): the same answers.
-- test/unit/sequence_check.c compares the matcher itself with a
-- backtracking reference on 200,000 random patterns of every construct.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.1616);

-- 1. tie-free: distinct times per customer
CREATE TABLE sr1 AS
SELECT c, timestamptz '2024-01-01' + (k * 7 + floor(random() * 5)::int) * interval '1 minute' AS ts,
	   (ARRAY['a', 'b', 'c', 'd', 'e', 'x'])[1 + floor(random() * 6)::int] AS e
FROM generate_series(1, 1500) c, generate_series(1, 1 + (c % 14)) k;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE m1 <> (wf >= 1) OR m2 <> (wf >= 2) OR m3 <> (wf >= 3) OR m4 <> (wf >= 4) OR m5 <> (wf >= 5)) AS differing,
	   count(*) FILTER (WHERE wf = 5) AS reached_5, count(*) FILTER (WHERE wf = 3) AS reached_3
FROM (SELECT c, window_funnel(interval '36500 days', ts, e = 'a', e = 'b', e = 'c', e = 'd', e = 'e') AS wf,
			 sequence_match('(?1)', ts, e = 'a', e = 'b', e = 'c', e = 'd', e = 'e') AS m1,
			 sequence_match('(?1).*(?2)', ts, e = 'a', e = 'b', e = 'c', e = 'd', e = 'e') AS m2,
			 sequence_match('(?1).*(?2).*(?3)', ts, e = 'a', e = 'b', e = 'c', e = 'd', e = 'e') AS m3,
			 sequence_match('(?1).*(?2).*(?3).*(?4)', ts, e = 'a', e = 'b', e = 'c', e = 'd', e = 'e') AS m4,
			 sequence_match('(?1).*(?2).*(?3).*(?4).*(?5)', ts, e = 'a', e = 'b', e = 'c', e = 'd', e = 'e') AS m5
	  FROM sr1 GROUP BY c) s;

-- 2. the backtracking reference for linear patterns: atom[i] is a condition
-- number or 0 for '.'; before atom i (i > 1), skip[i] allows events
-- between and gap[i] (seconds, or NULL) bounds the time from atom i-1's
-- event.  Depth-first with the events in ascending order finds the
-- lexicographically earliest match of the earliest start.
CREATE FUNCTION ref_try(ts float8[], mask int[], atom int[], skip bool[], gap float8[],
						i int, last int, OUT ok bool, OUT path int[]) LANGUAGE plpgsql AS $$
DECLARE
	j int;
	r record;
BEGIN
	IF i > array_length(atom, 1) THEN
		ok := true; path := '{}'; RETURN;
	END IF;
	FOR j IN last + 1 .. coalesce(array_length(ts, 1), 0) LOOP
		EXIT WHEN NOT skip[i] AND j > last + 1;
		CONTINUE WHEN gap[i] IS NOT NULL AND ts[j] - ts[last] > gap[i];
		CONTINUE WHEN atom[i] <> 0 AND (mask[j] >> (atom[i] - 1)) & 1 = 0;
		r := ref_try(ts, mask, atom, skip, gap, i + 1, j);
		IF r.ok THEN
			ok := true; path := j || r.path; RETURN;
		END IF;
	END LOOP;
	ok := false;
END $$;
-- the first match from index first on: its event indexes, or NULL
CREATE FUNCTION ref_find(ts float8[], mask int[], atom int[], skip bool[], gap float8[], first int)
RETURNS int[] LANGUAGE plpgsql AS $$
DECLARE
	s int;
	r record;
BEGIN
	FOR s IN first .. coalesce(array_length(ts, 1), 0) LOOP
		CONTINUE WHEN atom[1] <> 0 AND (mask[s] >> (atom[1] - 1)) & 1 = 0;
		r := ref_try(ts, mask, atom, skip, gap, 2, s);
		IF r.ok THEN RETURN s || r.path; END IF;
	END LOOP;
	RETURN NULL;
END $$;
CREATE FUNCTION ref_count(ts float8[], mask int[], atom int[], skip bool[], gap float8[])
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	n int := 0;
	m int[];
	first int := 1;
BEGIN
	LOOP
		m := ref_find(ts, mask, atom, skip, gap, first);
		EXIT WHEN m IS NULL;
		n := n + 1;
		first := m[array_length(m, 1)] + 1;
	END LOOP;
	RETURN n;
END $$;

-- customers with ties (whole minutes), three conditions that overlap
CREATE TABLE sr2 AS
SELECT c, timestamptz '2024-01-01' + floor(k * 0.7 + random() * 2) * interval '1 minute' AS ts,
	   (ARRAY['a', 'b', 'c', 'ab', 'x'])[1 + floor(random() * 5)::int] AS e
FROM generate_series(1, 300) c, generate_series(1, 1 + (c % 11)) k;
-- random linear patterns: 1 to 4 atoms
CREATE TABLE srp AS
SELECT p, atom, skip, gap,
	   (SELECT string_agg(CASE WHEN i > 1 THEN CASE WHEN skip[i] AND gap[i] IS NULL THEN '.*' ELSE '' END
									|| CASE WHEN gap[i] IS NOT NULL THEN '(?t<=' || gap[i] || ')' ELSE '' END ELSE '' END
						  || CASE WHEN atom[i] = 0 THEN '.' ELSE '(?' || atom[i] || ')' END, '' ORDER BY i)
		FROM generate_subscripts(atom, 1) i) AS pattern
FROM (SELECT p, array_agg(a ORDER BY i) AS atom, array_agg(s ORDER BY i) AS skip, array_agg(g ORDER BY i) AS gap
	  FROM (SELECT p, i, CASE WHEN random() < 0.15 THEN 0 ELSE 1 + floor(random() * 3)::int END AS a,
				   i > 1 AND random() < 0.6 AS s0, random() AS r
			FROM generate_series(1, 24) p, generate_series(1, 1 + p % 4) i) q,
		   LATERAL (SELECT s0 OR (i > 1 AND r < 0.3) AS s,
						   CASE WHEN i > 1 AND r < 0.3 THEN floor(r * 600)::float8 END AS g) x
	  GROUP BY p) t;
SELECT count(*) AS patterns, count(*) FILTER (WHERE pattern LIKE '%(?t%') AS with_time,
	   count(*) FILTER (WHERE pattern LIKE '%.*%') AS with_skip, count(*) FILTER (WHERE pattern ~ '\.($|\(|\.)') AS with_dot
FROM srp;
CREATE TABLE sr2_ref AS
SELECT c, p, ref_find(ts, mask, atom, skip, gap, 1) AS idx, ref_count(ts, mask, atom, skip, gap) AS n, tsa
FROM (SELECT c, array_agg(extract(epoch FROM ts)::float8 ORDER BY ts, mask) AS ts,
			 array_agg(mask ORDER BY ts, mask) AS mask, array_agg(ts ORDER BY ts, mask) AS tsa
	  FROM (SELECT c, ts, (e IN ('a', 'ab'))::int | ((e IN ('b', 'ab'))::int << 1) | ((e = 'c')::int << 2) AS mask
			FROM sr2) v WHERE mask <> 0 GROUP BY c) g, srp;
CREATE TABLE sr2_ours AS
SELECT c, p, sequence_match(pattern, ts, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c') AS m,
	   sequence_count(pattern, ts, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c') AS n,
	   sequence_match_events(pattern, ts, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c') AS ev
FROM sr2, srp GROUP BY c, p;
SELECT count(*) AS compared, count(*) FILTER (WHERE r.idx IS NOT NULL) AS matched, sum(r.n) AS matches,
	   count(*) FILTER (WHERE o.m IS DISTINCT FROM (r.idx IS NOT NULL) OR o.n IS DISTINCT FROM r.n::int8
					 OR o.ev IS DISTINCT FROM
						CASE WHEN r.idx IS NOT NULL THEN
						(SELECT coalesce(array_agg(r.tsa[r.idx[i]] ORDER BY i), '{}') FROM generate_subscripts(r.idx, 1) i
						 WHERE (SELECT atom[i] FROM srp WHERE srp.p = r.p) <> 0) END) AS differing
FROM sr2_ref r JOIN sr2_ours o USING (c, p);

-- 3. path functions against the aggregates, every construct
CREATE TABLE sr3_pat (pattern text, steps text[]);
INSERT INTO sr3_pat VALUES
	('(?1).*(?2).*(?3)', ARRAY['a', 'b', 'c']), ('(?1)(?2)', ARRAY['a', 'b']),
	('(?1).*(?t<=120)(?2)', ARRAY['a', 'b']), ('(?1)(?t>60)(?2)', ARRAY['a', 'b']),
	('(?1)(?t==0)(?2)', ARRAY['a', 'b']), ('(?1)(?t!=60)(?2)', ARRAY['b', 'a']),
	('(?w<=180)(?1).*(?2).*(?3)', ARRAY['a', 'b', 'c']), ('((?1)|(?2))+(?3)', ARRAY['a', 'b', 'c']),
	('(?1)(?2){2,}', ARRAY['a', 'b']), ('(?1).{1,3}(?2)', ARRAY['a', 'c']), ('((?1)(?2)?)+', ARRAY['a', 'b']),
	('(?2)|(?1).(?3)', ARRAY['a', 'b', 'c']), ('(?1)((?2)|.*(?t<=''2 minutes'')(?3))', ARRAY['ab', 'b', 'c']),
	('(?1)', ARRAY['ab', 'a']), ('(?1).*(?2)', ARRAY['a', 'a']);
CREATE TABLE sr3_path AS SELECT c, milestone_path_agg(e, ts) AS p FROM sr2 GROUP BY c;
SELECT count(*) AS compared,
	   count(*) FILTER (WHERE (a.m, a.n, a.ev, a.nx, a.pv) IS DISTINCT FROM (b.m, b.n, b.ev, b.nx, b.pv)) AS differing,
	   count(*) FILTER (WHERE a.m) AS matched, sum(a.n) AS matches, count(a.nx) AS with_next, count(a.pv) AS with_previous
FROM (SELECT c, pattern, sequence_match(pattern, ts, e, steps) AS m, sequence_count(pattern, ts, e, steps) AS n,
			 sequence_match_events(pattern, ts, e, steps) AS ev,
			 sequence_next(pattern, ts, e, steps) AS nx, sequence_previous(pattern, ts, e, steps) AS pv
	  FROM sr2, sr3_pat GROUP BY c, pattern) a
JOIN (SELECT c, pattern, sequence_match(p, pattern, steps) AS m, sequence_count(p, pattern, steps) AS n,
			 sequence_match_events(p, pattern, steps) AS ev,
			 sequence_next(p, pattern, steps) AS nx, sequence_previous(p, pattern, steps) AS pv
	  FROM sr3_path, sr3_pat) b USING (c, pattern);

-- 4. row order and plan shape do not matter
CREATE TABLE sr4_answer AS
SELECT c, pattern, sequence_match(pattern, ts, e, steps) AS m, sequence_count(pattern, ts, e, steps) AS n,
	   sequence_match_events(pattern, ts, e, steps) AS ev, sequence_next(pattern, ts, e, steps) AS nx,
	   sequence_previous(pattern, ts, e, steps) AS pv
FROM sr2, sr3_pat GROUP BY c, pattern;
CREATE TABLE sr4_o1 AS SELECT * FROM sr2 ORDER BY random();
CREATE TABLE sr4_o2 AS SELECT * FROM sr2 ORDER BY random();
CREATE TABLE sr4_o3 AS SELECT * FROM sr2 ORDER BY ts DESC, e DESC;
SELECT o, count(*) FILTER (WHERE (a.m, a.n, a.ev, a.nx, a.pv) IS DISTINCT FROM (b.m, b.n, b.ev, b.nx, b.pv)) AS differing
FROM (SELECT 1 AS o, c, pattern, sequence_match(pattern, ts, e, steps) AS m, sequence_count(pattern, ts, e, steps) AS n,
			 sequence_match_events(pattern, ts, e, steps) AS ev, sequence_next(pattern, ts, e, steps) AS nx,
			 sequence_previous(pattern, ts, e, steps) AS pv
	  FROM sr4_o1, sr3_pat GROUP BY c, pattern
	  UNION ALL
	  SELECT 2, c, pattern, sequence_match(pattern, ts, e, steps), sequence_count(pattern, ts, e, steps),
			 sequence_match_events(pattern, ts, e, steps), sequence_next(pattern, ts, e, steps),
			 sequence_previous(pattern, ts, e, steps)
	  FROM sr4_o2, sr3_pat GROUP BY c, pattern
	  UNION ALL
	  SELECT 3, c, pattern, sequence_match(pattern, ts, e, steps), sequence_count(pattern, ts, e, steps),
			 sequence_match_events(pattern, ts, e, steps), sequence_next(pattern, ts, e, steps),
			 sequence_previous(pattern, ts, e, steps)
	  FROM sr4_o3, sr3_pat GROUP BY c, pattern) b
JOIN sr4_answer a USING (c, pattern) GROUP BY o ORDER BY o;
-- parallel plans: partial states cross processes
CREATE TABLE sr4_big AS SELECT c + 1000 * r AS c, ts, e FROM sr2, generate_series(0, 14) r;
ANALYZE sr4_big;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE sr4_serial AS
SELECT c, sequence_count('(?1).*(?t<=120)(?2)', ts, e = 'a', e = 'b') AS n,
	   sequence_match_events('((?1)|(?2))+(?3)', ts, e, ARRAY['a', 'b', 'c']) AS ev,
	   sequence_next('(?1)(?2)', ts, e, ARRAY['a', 'b']) AS nx
FROM sr4_big GROUP BY c;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT c, sequence_count('(?1).*(?t<=120)(?2)', ts, e = 'a', e = 'b') FROM sr4_big GROUP BY c;
CREATE TABLE sr4_parallel AS
SELECT c, sequence_count('(?1).*(?t<=120)(?2)', ts, e = 'a', e = 'b') AS n,
	   sequence_match_events('((?1)|(?2))+(?3)', ts, e, ARRAY['a', 'b', 'c']) AS ev,
	   sequence_next('(?1)(?2)', ts, e, ARRAY['a', 'b']) AS nx
FROM sr4_big GROUP BY c;
RESET enable_hashagg;
SELECT count(*) AS customers, sum(s.n) AS matches, count(s.ev) AS with_events, count(s.nx) AS with_next,
	   count(*) FILTER (WHERE (s.n, s.ev, s.nx) IS DISTINCT FROM (p.n, p.ev, p.nx)) AS differing
FROM sr4_serial s FULL JOIN sr4_parallel p USING (c);
