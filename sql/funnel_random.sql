-- window_funnel against an independent brute-force reference (a recursive
-- query enumerating every chain) over 1,500 random small customers, in all
-- 16 combinations of modes; and time_to_convert against the same reference.
SET timezone = 'UTC';
SELECT setseed(0.17);
CREATE TABLE rnd (c int, id int, ts timestamptz, e text);
INSERT INTO rnd
SELECT c, row_number() OVER (), ts, e FROM (
	SELECT c,
		   timestamptz '2026-01-01' + floor(random() * 10) * interval '1 minute' AS ts,
		   (ARRAY['a', 'b', 'c', 'd', 'x', 'ab', 'a', 'b', 'c', 'd'])[1 + floor(random() * 10)::int] AS e
	FROM generate_series(1, 1500) c, LATERAL generate_series(1, 2 + floor(random() * 9)::int + 0 * c)
) r;
-- steps: a (or ab), b (or ab), c, d; x matches nothing
CREATE TABLE rnd_s AS
	SELECT c, id, ts, ARRAY[e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c', e = 'd'] AS s FROM rnd;
CREATE INDEX ON rnd_s (c);
ANALYZE rnd_s;
SELECT count(*) AS rows, count(DISTINCT c) AS customers FROM rnd_s;

-- The reference: every chain e1..ek of distinct rows, ek matching step k,
-- times not decreasing (increasing under strict_increase), within the
-- window, and each mode's rule checked on the rows between.
CREATE FUNCTION ref_funnel(o bool, d bool, inc bool, fe bool, win interval)
RETURNS TABLE (c int, level int, ttc interval) LANGUAGE sql AS $$
WITH RECURSIVE chain(c, k, first_ts, last_ts, ids) AS (
	SELECT r.c, 1, r.ts, r.ts, ARRAY[r.id] FROM rnd_s r
	WHERE r.s[1] AND (NOT fe OR r.ts = (SELECT min(x.ts) FROM rnd_s x WHERE x.c = r.c AND x.s[1]))
	UNION ALL
	SELECT ch.c, ch.k + 1, ch.first_ts, r.ts, ch.ids || r.id
	FROM chain ch JOIN rnd_s r ON r.c = ch.c
	WHERE ch.k < 4 AND r.s[ch.k + 1] AND r.id <> ALL (ch.ids)
	  AND r.ts >= ch.last_ts AND (NOT inc OR r.ts > ch.last_ts)
	  AND r.ts - ch.first_ts <= win
	  AND (NOT o OR NOT EXISTS (
			SELECT 1 FROM rnd_s x WHERE x.c = ch.c AND x.id <> r.id AND x.id <> ALL (ch.ids)
			  AND x.ts > ch.first_ts AND x.ts < r.ts))
	  AND (NOT d OR NOT EXISTS (
			SELECT 1 FROM rnd_s x WHERE x.c = ch.c AND (x.s[ch.k] OR x.s[ch.k + 1])
			  AND x.ts > ch.last_ts AND x.ts < r.ts))
),
best AS (SELECT c, max(k) AS level FROM chain GROUP BY c),
finish AS (
	-- the converting chain: earliest finish, then latest start
	SELECT DISTINCT ON (ch.c) ch.c, ch.last_ts - ch.first_ts AS ttc
	FROM chain ch WHERE ch.k = 4
	ORDER BY ch.c, ch.last_ts, ch.first_ts DESC
)
SELECT cu.c, coalesce(b.level, 0), f.ttc
FROM (SELECT DISTINCT c FROM rnd_s) cu LEFT JOIN best b USING (c) LEFT JOIN finish f USING (c)
$$;

CREATE TABLE modes AS
	SELECT concat_ws(',', CASE WHEN o THEN 'strict_order' END, CASE WHEN d THEN 'strict_deduplication' END,
					 CASE WHEN i THEN 'strict_increase' END, CASE WHEN f THEN 'first_entry' END) AS mode,
		   o, d, i, f
	FROM (VALUES (false), (true)) a(o), (VALUES (false), (true)) b(d),
		 (VALUES (false), (true)) x(i), (VALUES (false), (true)) y(f);

SELECT m.mode,
	   count(*) AS customers,
	   count(*) FILTER (WHERE w.level <> r.level) AS level_mismatches,
	   count(*) FILTER (WHERE w.ttc IS DISTINCT FROM r.ttc) AS ttc_mismatches,
	   sum(r.level) AS sum_of_levels,
	   count(r.ttc) AS converted
FROM modes m
CROSS JOIN LATERAL (
	SELECT c, window_funnel(interval '5 minutes', m.mode, ts, s[1], s[2], s[3], s[4]) AS level,
		   time_to_convert(interval '5 minutes', m.mode, ts, s[1], s[2], s[3], s[4]) AS ttc
	FROM rnd_s GROUP BY c
) w
JOIN LATERAL ref_funnel(m.o, m.d, m.i, m.f, interval '5 minutes') r USING (c)
GROUP BY m.mode ORDER BY m.mode;
DROP TABLE rnd, rnd_s, modes;
DROP FUNCTION ref_funnel;
