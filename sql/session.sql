-- session_id, session_seq and session_stats
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
CREATE TABLE sev (c text, m int, login bool DEFAULT false);
CREATE VIEW sv AS SELECT c, timestamptz '2026-01-01 00:00' + m * interval '1 minute' AS ts, login FROM sev;
INSERT INTO sev (c, m) VALUES
	-- boundary: the second row is exactly 30 minutes after the first (stays),
	-- the third 31 minutes after the second (splits)
	('boundary', 0), ('boundary', 30), ('boundary', 61),
	-- ties: two rows at the same minute never split, whatever the options
	('ties', 0), ('ties', 0), ('ties', 40), ('ties', 40), ('ties', 41),
	-- nulls: a NULL time gets NULL and does not break the session
	('nulls', 0), ('nulls', NULL), ('nulls', 20),
	-- one: a partition of one row
	('one', 5),
	-- long: one row every 20 minutes for 4 hours
	('long', 0), ('long', 20), ('long', 40), ('long', 60), ('long', 80), ('long', 100),
	('long', 120), ('long', 140), ('long', 160), ('long', 180), ('long', 200), ('long', 220), ('long', 240);
INSERT INTO sev VALUES ('long', 100, true), ('ties', 40, true);

SELECT c, ts, login,
       session_id(ts, interval '30 minutes') OVER w AS sid,
       session_seq(ts, interval '30 minutes') OVER w AS seq
FROM sv WHERE c IN ('boundary', 'ties', 'nulls', 'one')
WINDOW w AS (PARTITION BY c ORDER BY ts, login)
ORDER BY c, ts, login;
-- options, alone and combined, by name
SELECT ts, login,
       session_id(ts, interval '30 minutes') OVER w AS plain,
       session_id(ts, interval '30 minutes', max_duration => interval '1 hour') OVER w AS max_1h,
       session_id(ts, interval '30 minutes', max_events => 4) OVER w AS max_4,
       session_id(ts, interval '30 minutes', boundary => login) OVER w AS at_login,
       session_id(ts, interval '30 minutes', max_duration => interval '1 hour', max_events => 2, boundary => login) OVER w AS all_three,
       session_seq(ts, interval '30 minutes', max_duration => interval '1 hour', max_events => 2, boundary => login) OVER w AS all_three_seq
FROM sv WHERE c = 'long' WINDOW w AS (ORDER BY ts, login) ORDER BY ts, login;
-- max_duration: a session lasting exactly 40 minutes stays one session
SELECT ts, session_id(ts, interval '30 minutes', max_duration => interval '40 minutes') OVER (ORDER BY ts) AS max_40m
FROM sv WHERE c = 'long' AND NOT login AND ts < '2026-01-01 02:00' ORDER BY ts;
-- ties: a boundary on any row of an instant applies to the whole instant,
-- in whichever order the tied rows come; max_events never splits a tie
SELECT ts, login,
       session_id(ts, interval '30 minutes', boundary => login) OVER (ORDER BY ts, login) AS login_last,
       session_id(ts, interval '30 minutes', boundary => login) OVER (ORDER BY ts, login DESC) AS login_first,
       session_id(ts, interval '30 minutes', max_events => 1) OVER (ORDER BY ts, login) AS max_1
FROM sv WHERE c = 'ties' ORDER BY ts, login;
-- timestamp without time zone works the same
SELECT ts::timestamp, session_id(ts::timestamp, interval '30 minutes') OVER (ORDER BY ts) AS sid
FROM sv WHERE c = 'boundary' ORDER BY ts;
-- bad gaps and options: 22023
SELECT session_id(ts, interval '0') OVER (ORDER BY ts) FROM sv WHERE c = 'one';
SELECT session_id(ts, interval '-5 minutes') OVER (ORDER BY ts) FROM sv WHERE c = 'one';
SELECT session_id(ts, NULL::interval) OVER (ORDER BY ts) FROM sv WHERE c = 'one';
SELECT session_id(ts, interval '1 month') OVER (ORDER BY ts) FROM sv WHERE c = 'one';
SELECT session_id(ts, interval '30 minutes', max_events => 0) OVER (ORDER BY ts) FROM sv WHERE c = 'long';
SELECT session_id(ts, interval '30 minutes', max_duration => interval '0') OVER (ORDER BY ts) FROM sv WHERE c = 'long';
\set VERBOSITY sqlstate
SELECT session_id(ts, interval '0') OVER (ORDER BY ts) FROM sv WHERE c = 'one';
\set VERBOSITY default
-- a window not ordered by time ascending: 22000, never wrong numbers
SELECT session_id(ts, interval '30 minutes') OVER (ORDER BY ts DESC) FROM sv WHERE c = 'boundary';
SELECT session_id(ts, interval '30 minutes') OVER (PARTITION BY c) FROM (SELECT * FROM sv WHERE c = 'long' ORDER BY ts DESC LIMIT 3) x;
\set VERBOSITY sqlstate
SELECT session_id(ts, interval '30 minutes') OVER (ORDER BY ts DESC) FROM sv WHERE c = 'boundary';
\set VERBOSITY default
-- several partitions in one pass
SELECT c, max(sid) AS sessions FROM (
	SELECT c, session_id(ts, interval '30 minutes') OVER (PARTITION BY c ORDER BY ts) AS sid FROM sv
) x GROUP BY c ORDER BY c;

-- session_stats: (sessions, avg_duration, max_duration, avg_events), rows in any order
-- long: one session of 13 rows (plus the login row) over 4 hours
SELECT c, (session_stats(ts, interval '30 minutes')).* FROM sv GROUP BY c ORDER BY c;
SELECT (session_stats(ts, interval '15 minutes')).* FROM sv WHERE c = 'long';
SELECT session_stats(ts, interval '30 minutes') IS NULL AS no_rows FROM sv WHERE false;
-- a group whose times are all NULL: NULL (the state starts only with a time)
SELECT session_stats(NULL::timestamptz, interval '30 minutes') IS NULL AS only_nulls FROM generate_series(1, 3);
SELECT c, (session_stats(CASE WHEN c = 'nulls' THEN NULL ELSE ts END, interval '30 minutes')).sessions
FROM sv WHERE c IN ('nulls', 'one') GROUP BY c ORDER BY c;
SELECT session_stats(ts::timestamp, interval '30 minutes') FROM sv WHERE c = 'boundary';
-- as a window aggregate: the running summary grows row by row
SELECT ts, session_stats(ts, interval '30 minutes') OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING)
FROM sv WHERE c = 'boundary' ORDER BY ts;
-- grouping sets: one state per set
SELECT c, (session_stats(ts, interval '30 minutes')).sessions
FROM sv WHERE c IN ('boundary', 'ties') GROUP BY GROUPING SETS ((c), ()) ORDER BY c NULLS LAST;
SELECT session_stats(ts, interval '0') FROM sv;
-- the same in a parallel plan
CREATE TABLE many_sev AS
	SELECT i % 300 AS c, timestamptz '2026-01-01' + (abs(hashint4(i)) % 20000) * interval '1 minute' AS ts
	FROM generate_series(1, 60000) i;
ANALYZE many_sev;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_stats AS SELECT c, session_stats(ts, interval '30 minutes') AS st FROM many_sev GROUP BY c;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT c, session_stats(ts, interval '30 minutes') FROM many_sev GROUP BY c;
SELECT count(*) AS customers, count(*) FILTER (WHERE s.st IS DISTINCT FROM p.st) AS differing
FROM serial_stats s JOIN (SELECT c, session_stats(ts, interval '30 minutes') AS st FROM many_sev GROUP BY c) p USING (c);
RESET ALL;
DROP TABLE sev, many_sev, serial_stats CASCADE;
