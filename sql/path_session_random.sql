-- session_stats over a path against the session_stats aggregate over the
-- same rows, and the growth map against plain SQL over the rows, on random
-- customers with many ties and random gaps and caps (NULL caps included).
-- The domain of the comparison is what a path holds: rows with a label of
-- 1 to 255 bytes and a finite time (path_session.sql tests the rest).
SET timezone = 'UTC';
SELECT setseed(0.61);
-- 4,000 customers, 1 to 40 rows each over 3 hours in whole minutes (so
-- ties are common); a few rows with a NULL label or a NULL time
CREATE TABLE rr (c int, label text, ts timestamptz);
INSERT INTO rr
SELECT c,
	   CASE WHEN r1 < 0.03 THEN NULL
			ELSE (ARRAY['visit', 'newsletter', 'cart', 'purchase', 'review', 'vip event', 'Cart', 'café'])[1 + floor(r2 * 8)::int] END,
	   CASE WHEN r3 < 0.02 THEN NULL
			ELSE timestamptz '2026-01-01' + floor(r4 * 180) * interval '1 minute' END
FROM (SELECT c, random() AS r1, random() AS r2, random() AS r3, random() AS r4
	  FROM generate_series(1, 4000) c, LATERAL generate_series(1, 1 + floor(random() * 40)::int + 0 * c)) x;
-- each customer's options: a gap of 1 to 60 minutes (sometimes with
-- seconds), max_duration NULL or 10 minutes to 3 hours, max_events NULL or
-- 1 to 8
CREATE TABLE ro AS
SELECT c,
	   floor(1 + random() * 60) * interval '1 minute' + CASE WHEN random() < 0.2 THEN interval '30 seconds' ELSE interval '0' END AS gap,
	   CASE WHEN random() < 0.4 THEN NULL ELSE floor(10 + random() * 170) * interval '1 minute' END AS max_duration,
	   CASE WHEN random() < 0.4 THEN NULL ELSE floor(1 + random() * 8)::int END AS max_events
FROM generate_series(1, 4000) c;
CREATE TABLE rp AS SELECT c, milestone_path_agg(label, ts) AS p FROM rr GROUP BY c;
-- what the data covers: rows, instants with ties, customers with a cap
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE label IS NULL) AS null_labels,
	   count(*) FILTER (WHERE ts IS NULL) AS null_times,
	   (SELECT count(*) FROM (SELECT c, ts FROM rr WHERE label IS NOT NULL AND ts IS NOT NULL GROUP BY c, ts HAVING count(*) > 1) t) AS tied_instants,
	   (SELECT count(*) FROM ro WHERE max_duration IS NULL AND max_events IS NULL) AS no_cap,
	   (SELECT count(*) FROM ro WHERE max_duration IS NOT NULL AND max_events IS NOT NULL) AS both_caps,
	   (SELECT count(*) FROM rp WHERE p IS NULL) AS null_paths
FROM rr;

-- 1. session_stats: the aggregate over the path's rows = the function over the path
CREATE TABLE agg AS
SELECT c, session_stats(o.gap, r.ts, o.max_duration, o.max_events) AS caps,
	   session_stats(o.gap, r.ts) AS plain
FROM rr r JOIN ro o USING (c)
WHERE r.label IS NOT NULL
GROUP BY c;
CREATE TABLE fn AS
SELECT c, session_stats(p, o.gap, o.max_duration, o.max_events) AS caps,
	   session_stats(p, o.gap) AS plain,
	   -- a deliberately different gap: the comparison must see it
	   session_stats(p, o.gap * 2, o.max_duration, o.max_events) AS broken
FROM rp JOIN ro o USING (c);
SELECT count(*) AS compared,
	   count(*) FILTER (WHERE a.caps IS DISTINCT FROM f.caps) AS mismatches_with_caps,
	   count(*) FILTER (WHERE a.plain IS DISTINCT FROM f.plain) AS mismatches_without,
	   count(*) FILTER (WHERE a.caps IS DISTINCT FROM a.plain) AS caps_changed_the_answer,
	   count(*) FILTER (WHERE (a.caps).sessions > 1) AS several_sessions,
	   count(*) FILTER (WHERE a.caps IS DISTINCT FROM f.broken) > 500 AS broken_comparison_fails
FROM agg a JOIN fn f USING (c)
WHERE f.caps IS NOT NULL;
-- the paths that are NULL are exactly the customers without a row in the
-- domain (the aggregate over no row gives NULL too)
SELECT count(*) AS null_paths,
	   count(*) FILTER (WHERE a.c IS NULL OR a.caps IS NULL) AS aggregate_null_too
FROM rp LEFT JOIN agg a USING (c) WHERE rp.p IS NULL;
-- outside the domain: with the rows whose label is NULL, the aggregate
-- counts their times and the path does not, so some customers differ; each
-- of them has such a row, and giving those rows a label makes the path's
-- answer the aggregate's again (the rows explain the whole difference)
SELECT count(*) > 0 AS differ_with_null_label_rows,
	   count(*) FILTER (WHERE NOT a.null_label_row) AS differ_without_such_row,
	   count(*) FILTER (WHERE l.st IS DISTINCT FROM a.st) AS differ_once_labeled
FROM (SELECT c, session_stats(o.gap, r.ts, o.max_duration, o.max_events) AS st,
			 bool_or(r.label IS NULL AND r.ts IS NOT NULL) AS null_label_row
	  FROM rr r JOIN ro o USING (c) GROUP BY c) a
JOIN fn f USING (c)
JOIN (SELECT c, session_stats(milestone_path_agg(coalesce(r.label, 'unlabeled'), r.ts),
							  o.gap, o.max_duration, o.max_events) AS st
	  FROM rr r JOIN ro o USING (c) GROUP BY c, o.gap, o.max_duration, o.max_events) l USING (c)
WHERE a.st IS DISTINCT FROM f.caps AND f.caps IS NOT NULL;

-- 2. the growth map against plain SQL over the rows of the path
CREATE TABLE maps (k int, m text[]);
INSERT INTO maps VALUES (1, '{visit,newsletter,cart,purchase,review,"vip event"}'),
	(2, '{purchase,cart,visit}'), (3, '{"vip event"}'), (4, '{café,Cart,nothing,newsletter}'),
	(5, '{unknown,other}');
CREATE TABLE domain_rows AS SELECT * FROM rr WHERE label IS NOT NULL AND ts IS NOT NULL;
-- the reference: each customer's first time of each label
CREATE TABLE first_at AS SELECT c, label, min(ts) AS first_at FROM domain_rows GROUP BY c, label;
-- milestone_level = the highest map position of a label in the rows
SELECT count(*) AS compared,
	   count(*) FILTER (WHERE lvl IS DISTINCT FROM ref) AS mismatches,
	   count(*) FILTER (WHERE lvl > 0) AS reached_some,
	   count(DISTINCT lvl) AS distinct_levels,
	   -- a pattern reaches the same milestones
	   count(*) FILTER (WHERE pattern_lvl <> lvl) AS pattern_mismatches
FROM (SELECT rp.c, maps.k, milestone_level(rp.p, maps.m) AS lvl,
			 milestone_level(labels_only(rp.p), maps.m) AS pattern_lvl,
			 coalesce(max(array_position(maps.m, f.label)), 0) AS ref
	  FROM rp CROSS JOIN maps LEFT JOIN first_at f ON f.c = rp.c
	  WHERE rp.p IS NOT NULL GROUP BY rp.c, rp.p, maps.k, maps.m) x;
-- milestone_status: reached = the label occurs, reached_at = its first time,
-- one row per entry numbered 1 to n in map order
CREATE TABLE st AS
SELECT rp.c, maps.k, maps.m, s.* FROM rp CROSS JOIN maps CROSS JOIN LATERAL milestone_status(rp.p, maps.m) s
WHERE rp.p IS NOT NULL;
SELECT count(*) AS status_rows,
	   count(*) FILTER (WHERE st.reached <> (f.first_at IS NOT NULL)
						OR st.reached_at IS DISTINCT FROM f.first_at
						OR st.label <> st.m[st.milestone]) AS mismatches,
	   count(*) FILTER (WHERE st.reached) AS reached
FROM st LEFT JOIN first_at f ON f.c = st.c AND f.label = st.label;
SELECT k, count(*) AS customers,
	   count(*) FILTER (WHERE n <> cardinality(m) OR numbers <> (SELECT array_agg(i ORDER BY i) FROM generate_series(1, cardinality(m)) i)) AS bad_numbering
FROM (SELECT k, m, c, count(*) AS n, array_agg(milestone ORDER BY milestone) AS numbers FROM st GROUP BY k, m, c) x
GROUP BY k ORDER BY k;
-- the rows come out in map order as emitted (WITH ORDINALITY numbers them
-- as the function returns them, before any sort)
SELECT count(*) AS status_rows,
	   count(*) FILTER (WHERE s.n <> s.milestone OR s.label <> maps.m[s.n]) AS out_of_map_order
FROM rp CROSS JOIN maps
CROSS JOIN LATERAL milestone_status(rp.p, maps.m) WITH ORDINALITY s(milestone, label, reached, reached_at, n)
WHERE rp.p IS NOT NULL;
-- a pattern: reached as with times, reached_at NULL
SELECT count(*) AS status_rows,
	   count(*) FILTER (WHERE s.reached <> st.reached OR s.reached_at IS NOT NULL) AS mismatches
FROM rp CROSS JOIN maps CROSS JOIN LATERAL milestone_status(labels_only(rp.p), maps.m) s
JOIN st ON st.c = rp.c AND st.k = maps.k AND st.milestone = s.milestone;
