-- session_id, session_seq and session_stats against independent references
-- over 2,000 random customers: the LAG + SUM idiom for the gap rule, and a
-- recursive walk over instants for every option together.
SET timezone = 'UTC';
SELECT setseed(0.23);
CREATE TABLE sr (c int, ts timestamptz, b bool);
INSERT INTO sr
SELECT c,
	   CASE WHEN r1 < 0.03 THEN NULL
			ELSE timestamptz '2026-01-01' + floor(r2 * 300) * interval '1 minute' END,
	   r3 < 0.1
FROM (SELECT c, random() AS r1, random() AS r2, random() AS r3
	  FROM generate_series(1, 2000) c, LATERAL generate_series(1, 1 + floor(random() * 12)::int + 0 * c)) x;
SELECT count(*) AS rows, count(ts) AS with_time, count(DISTINCT (c, ts)) AS instants FROM sr;

-- 1. the gap rule against the LAG + SUM idiom
CREATE TABLE ours AS
	SELECT c, ts, b,
		   session_id(ts, interval '20 minutes') OVER w AS sid,
		   session_seq(ts, interval '20 minutes') OVER w AS seq,
		   session_id(ts, interval '20 minutes', max_duration => interval '45 minutes',
					  max_events => 3, boundary => b) OVER w AS sid_all,
		   session_seq(ts, interval '20 minutes', max_duration => interval '45 minutes',
					   max_events => 3, boundary => b) OVER w AS seq_all
	FROM sr WINDOW w AS (PARTITION BY c ORDER BY ts);
CREATE TABLE idiom AS
	SELECT c, ts, sum(new_session) OVER (PARTITION BY c ORDER BY ts ROWS UNBOUNDED PRECEDING) AS sid
	FROM (SELECT c, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY c ORDER BY ts) <= interval '20 minutes'
							 THEN 0 ELSE 1 END AS new_session
		  FROM sr WHERE ts IS NOT NULL) x;
SELECT count(*) AS instants,
	   count(*) FILTER (WHERE o.sids <> i.sids) AS mismatches
FROM (SELECT c, ts, array_agg(DISTINCT sid) AS sids FROM ours WHERE ts IS NOT NULL GROUP BY c, ts) o
JOIN (SELECT c, ts, array_agg(DISTINCT sid) AS sids FROM idiom GROUP BY c, ts) i USING (c, ts);
-- NULL times get NULL and leave the numbering alone
SELECT count(*) AS null_rows, count(sid) AS numbered FROM ours WHERE ts IS NULL;
-- session_seq numbers the rows of each session 1, 2, 3, ...
SELECT count(*) AS sessions,
	   count(*) FILTER (WHERE seqs <> (SELECT array_agg(g ORDER BY g) FROM generate_series(1, n) g)) AS bad_numbering
FROM (SELECT c, sid, count(*) AS n, array_agg(seq ORDER BY seq) AS seqs FROM ours WHERE ts IS NOT NULL GROUP BY c, sid) x;

-- 2. every option together against a recursive walk over instants: a new
-- session when the gap is exceeded, the session would last over 45 minutes,
-- it already has 3 rows, or a row of the instant is a boundary
CREATE TABLE walk AS
WITH RECURSIVE inst AS (
	SELECT c, ts, count(*) AS n, bool_or(b) AS b,
		   row_number() OVER (PARTITION BY c ORDER BY ts) AS k
	FROM sr WHERE ts IS NOT NULL GROUP BY c, ts
), w(c, k, ts, sid, start, rows_before, rows) AS (
	SELECT c, k, ts, 1::bigint, ts, 0::bigint, n FROM inst WHERE k = 1
	UNION ALL
	SELECT i.c, i.k, i.ts,
		   w.sid + s.split,
		   CASE WHEN s.split = 1 THEN i.ts ELSE w.start END,
		   CASE WHEN s.split = 1 THEN 0 ELSE w.rows END,
		   CASE WHEN s.split = 1 THEN i.n ELSE w.rows + i.n END
	FROM w JOIN inst i ON i.c = w.c AND i.k = w.k + 1,
		 LATERAL (SELECT CASE WHEN i.ts - w.ts > interval '20 minutes'
								OR i.ts - w.start > interval '45 minutes'
								OR w.rows >= 3 OR i.b THEN 1 ELSE 0 END AS split) s
)
SELECT * FROM w;
SELECT count(*) AS instants,
	   count(*) FILTER (WHERE o.sids <> ARRAY[w.sid]) AS sid_mismatches,
	   count(*) FILTER (WHERE o.min_seq <> w.rows_before + 1 OR o.max_seq <> w.rows) AS seq_mismatches
FROM (SELECT c, ts, array_agg(DISTINCT sid_all) AS sids, min(seq_all) AS min_seq, max(seq_all) AS max_seq
	  FROM ours WHERE ts IS NOT NULL GROUP BY c, ts) o
JOIN walk w USING (c, ts);

-- 3. session_stats against plain SQL over the idiom's sessions
CREATE TABLE stats_ref AS
	SELECT c, count(*) AS sessions,
		   avg(extract(epoch FROM last - first)) AS avg_seconds,
		   max(extract(epoch FROM last - first)) AS max_seconds,
		   sum(n)::numeric / count(*) AS avg_events
	FROM (SELECT c, sid, min(ts) AS first, max(ts) AS last, count(*) AS n FROM idiom GROUP BY c, sid) s
	GROUP BY c;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE (st).sessions <> r.sessions
						 OR abs(extract(epoch FROM (st).avg_duration) - r.avg_seconds) > 0.000001
						 OR extract(epoch FROM (st).max_duration) <> r.max_seconds
						 OR (st).avg_events <> r.avg_events) AS mismatches
FROM (SELECT c, session_stats(ts, interval '20 minutes') AS st FROM sr GROUP BY c) o
JOIN stats_ref r USING (c);
DROP TABLE sr, ours, idiom, walk, stats_ref;
