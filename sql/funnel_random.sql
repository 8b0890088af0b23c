-- window_funnel against an independent brute-force reference (a recursive
-- query enumerating every chain) over 1,500 random small customers, in all
-- 64 combinations of the six mode words; and time_to_convert against the same
-- reference.  The reference applies the rules of the words as written; only
-- 24 of the combinations differ (strict_once changes nothing, allow_reentry
-- nothing without strict_order), and the reference is run once for each.
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
-- window, and each mode's rule checked on the rows between ek and ek+1 (time
-- strictly between theirs, so never rows of the chain): under strict_order
-- each must match one of the steps 2..k (1..k with allow_reentry), under
-- strict_deduplication none may match the steps 1..k+1 (2..k+1 with
-- strict_order and allow_reentry).
CREATE FUNCTION ref_funnel(o bool, d bool, inc bool, fe bool, re bool, win interval)
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
			SELECT 1 FROM rnd_s x WHERE x.c = ch.c AND x.ts > ch.last_ts AND x.ts < r.ts
			  AND NOT true = ANY (x.s[CASE WHEN o AND re THEN 1 ELSE 2 END : ch.k])))
	  AND (NOT d OR NOT EXISTS (
			SELECT 1 FROM rnd_s x WHERE x.c = ch.c AND x.ts > ch.last_ts AND x.ts < r.ts
			  AND true = ANY (x.s[CASE WHEN o AND re THEN 2 ELSE 1 END : ch.k + 1])))
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
					 CASE WHEN i THEN 'strict_increase' END, CASE WHEN f THEN 'first_entry' END,
					 CASE WHEN so THEN 'strict_once' END, CASE WHEN r THEN 'allow_reentry' END) AS mode,
		   o, d, i, f, so, r
	FROM (VALUES (false), (true)) a(o), (VALUES (false), (true)) b(d),
		 (VALUES (false), (true)) x(i), (VALUES (false), (true)) y(f),
		 (VALUES (false), (true)) z(so), (VALUES (false), (true)) w(r);
CREATE TABLE ref AS
	SELECT k.*, r.*
	FROM (SELECT DISTINCT o, d, i, f, r FROM modes) k
	CROSS JOIN LATERAL ref_funnel(k.o, k.d, k.i, k.f, k.r, interval '5 minutes') r;
-- 24 distinct answers: allow_reentry matters only with strict_order
SELECT count(DISTINCT (o, d, i, f, r AND o)) AS distinct_rules FROM modes;

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
JOIN ref r ON (r.o, r.d, r.i, r.f, r.r) = (m.o, m.d, m.i, m.f, m.r) AND r.c = w.c
GROUP BY m.mode ORDER BY m.mode;
DROP TABLE rnd, rnd_s, modes, ref;
DROP FUNCTION ref_funnel;
