-- funnel() with options: hand-computed cases of each option (steps a, b, c; window 10 minutes)
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
CREATE TABLE fo (c text, m int, e text, p text);
CREATE VIEW fov AS SELECT c, timestamptz '2026-01-01 00:00' + m * interval '1 minute' AS ts, e, p FROM fo;
-- step times as minutes after 2026-01-01, to read the chains
CREATE FUNCTION fo_mins(timestamptz[]) RETURNS int[] LANGUAGE sql IMMUTABLE AS
$$ SELECT array_agg((extract(epoch FROM t - timestamptz '2026-01-01') / 60)::int ORDER BY o)
   FROM unnest($1) WITH ORDINALITY AS u(t, o) $$;
INSERT INTO fo VALUES
	-- issue example: a b r c, exclude r between 2 and 3: every chain reaching 2 has r after b -> excluded
	('example', 0, 'a', NULL), ('example', 1, 'b', NULL), ('example', 2, 'r', NULL), ('example', 3, 'c', NULL),
	-- r at the instant of step 3 (c): not strictly between b and c -> 3
	('at_step_j', 0, 'a', NULL), ('at_step_j', 1, 'b', NULL), ('at_step_j', 3, 'r', NULL), ('at_step_j', 3, 'c', NULL),
	-- r at the instant of step 2 (b): not strictly after b -> 3
	('at_step_i', 0, 'a', NULL), ('at_step_i', 1, 'b', NULL), ('at_step_i', 1, 'r', NULL), ('at_step_i', 3, 'c', NULL),
	-- c never comes; r after b inside the window (a@0 + 10 min): excluded
	('after_unreached', 0, 'a', NULL), ('after_unreached', 1, 'b', NULL), ('after_unreached', 9, 'r', NULL),
	-- the same r at minute 10, the window's last instant (inclusive): excluded
	('window_edge', 0, 'a', NULL), ('window_edge', 1, 'b', NULL), ('window_edge', 10, 'r', NULL),
	-- r past the window's end: not excluded, reached 2
	('after_window', 0, 'a', NULL), ('after_window', 1, 'b', NULL), ('after_window', 11, 'r', NULL),
	-- chains stop before step 2: r changes nothing -> 1, not excluded
	('before_i', 0, 'a', NULL), ('before_i', 1, 'r', NULL),
	-- a first attempt is excluded, a later one is clean: 3 with the later chain's times
	('second_try', 0, 'a', NULL), ('second_try', 1, 'b', NULL), ('second_try', 2, 'r', NULL),
	('second_try', 30, 'a', NULL), ('second_try', 31, 'b', NULL), ('second_try', 32, 'c', NULL),
	-- a b r c b: a@0 b@1 (c@3) is excluded, a@0 b@4 has no r after b: clean -> 2 with times {0,4}
	('shortened', 0, 'a', NULL), ('shortened', 1, 'b', NULL), ('shortened', 2, 'r', NULL), ('shortened', 3, 'c', NULL),
	('shortened', 4, 'b', NULL);

SELECT c, (r).reached, (r).excluded, fo_mins((r).step_at) AS step_min
FROM (SELECT c, funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between 2 and 3') AS r
	  FROM fov GROUP BY c) s ORDER BY c;
-- without the exclusion every customer reaches what window_funnel says
SELECT c, (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'])).reached,
       window_funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c']) AS wf,
       (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'])).step_at
         = window_funnel_times(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c']) AS same_times
FROM fov GROUP BY c ORDER BY c;
-- an exclusion over steps 1..2 and a quoted name; keywords in any case
SELECT c, (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'EXCLUDE "r" Between 1 AND 2')).*
FROM fov WHERE c IN ('example', 'before_i', 'at_step_i') GROUP BY c ORDER BY c;

-- any_order: the most distinct steps in one window from a row matching a step; one row fills one step
CREATE TABLE fa (c text, m int, e text);
CREATE VIEW fav AS SELECT c, timestamptz '2026-01-01 00:00' + m * interval '1 minute' AS ts, e FROM fa;
INSERT INTO fa VALUES
	-- c a b: in order 1 (a b only after c... a@1 b@2 -> 2), any order 3
	('reversed', 0, 'c'), ('reversed', 1, 'a'), ('reversed', 2, 'b'),
	-- ties: c and a at minute 0, b at 1 -> 3, step_at in time order {0,0,1}
	('ties', 0, 'c'), ('ties', 0, 'a'), ('ties', 1, 'b'),
	-- too far apart: c@0 a@20 b@21 -> 2 (a b in the window from a@20)
	('spread', 0, 'c'), ('spread', 20, 'a'), ('spread', 21, 'b'),
	-- r after c inside the window: the chains from c are excluded; a@2 alone is clean -> 1
	('restart', 0, 'c'), ('restart', 1, 'r'), ('restart', 2, 'a'),
	-- c a r: every chain is incomplete with r after its first row in the window: excluded
	('excluded', 0, 'c'), ('excluded', 1, 'a'), ('excluded', 2, 'r'),
	-- complete before r: 3
	('complete', 0, 'b'), ('complete', 1, 'c'), ('complete', 2, 'a'), ('complete', 3, 'r');
SELECT c, (r).reached, (r).excluded, fo_mins((r).step_at) AS step_min
FROM (SELECT c, funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'any_order, exclude r between 1 and 3') AS r
	  FROM fav GROUP BY c) s ORDER BY c;
SELECT c, (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'any_order')).reached AS any_order,
       window_funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c']) AS in_order
FROM fav GROUP BY c ORDER BY c;
-- one row fills one step: steps a, a need two a rows
SELECT (funnel(interval '10 minutes', ts, e, ARRAY['a', 'a'], 'any_order')).reached AS one_a
FROM fav WHERE c = 'ties';
SELECT (funnel(interval '10 minutes', ts, e, ARRAY['a', 'a'], 'any_order')).reached AS two_a
FROM (VALUES (timestamptz '2026-01-01', 'a'), ('2026-01-01 00:05', 'a')) v(ts, e);

-- breakdown: first_touch, last_touch, step N; NULL values skipped; ties at one instant -> smallest in bytes
CREATE TABLE fb (c text, m int, e text, p text);
CREATE VIEW fbv AS SELECT c, timestamptz '2026-01-01 00:00' + m * interval '1 minute' AS ts, e, p FROM fb;
INSERT INTO fb VALUES
	('one', 0, 'x', NULL), ('one', 1, 'a', 'ads'), ('one', 2, 'b', 'mail'), ('one', 3, 'b', 'web'), ('one', 4, 'x', 'zzz'), ('one', 5, 'x', NULL),
	-- two values at the first and last instants: the smaller in bytes wins both ends
	('tie', 0, 'a', 'web'), ('tie', 0, 'a', 'ads'), ('tie', 1, 'b', 'mail'), ('tie', 2, 'x', 'zz'), ('tie', 2, 'x', 'aa'),
	-- step 2 never reached: breakdown step 2 is NULL
	('no_b', 0, 'a', 'ads'), ('no_b', 1, 'c', 'web');
SELECT c,
       (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'breakdown first_touch', p)).breakdown AS first_touch,
       (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'breakdown last_touch', p)).breakdown AS last_touch,
       (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'breakdown step 1', p)).breakdown AS step1,
       (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'breakdown step 2', p)).breakdown AS step2
FROM fbv GROUP BY c ORDER BY c;
-- the row order does not matter (reversed input)
SELECT c, (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'breakdown first_touch', p ORDER BY ts DESC, p DESC)).breakdown AS first_touch,
       (funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'breakdown last_touch', p ORDER BY ts, p DESC)).breakdown AS last_touch
FROM fbv GROUP BY c ORDER BY c;

-- the path form gives the aggregate's answer
SELECT c, funnel(milestone_path_agg(e, ts), interval '10 minutes', ARRAY['a', 'b', 'c'], 'exclude r between 2 and 3')
	= funnel(interval '10 minutes', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between 2 and 3') AS same
FROM fov GROUP BY c ORDER BY c;
SELECT funnel(NULL::milestone_path, interval '1 hour', ARRAY['a']) IS NULL AS null_path;
SELECT (funnel(p, interval '1 hour', ARRAY['a', 'b'])).* FROM (SELECT milestone_path_agg(e, ts) p FROM fav WHERE c = 'ties') s;
-- no rows: nothing reached
SELECT (funnel(interval '1 hour', ts, e, ARRAY['a'])).* FROM fav WHERE false;

-- errors
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'exclud r') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'strict_order,,any_order') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between 3 and 2') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between 2 and 4') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'exclude b between 1 and 3') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between 2') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between two and 3') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'exclude "r between 1 and 2') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'any_order, exclude r between 1 and 2') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'any_order, strict_order') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'breakdown first_touch') FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], '', p) FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'breakdown step 4', p) FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], 'breakdown step 1, breakdown last_touch', p) FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], NULL) FROM fov;
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], CASE WHEN e = 'c' THEN 'strict_order' ELSE '' END) FROM fov;
-- the same meaning written differently is the same options
SELECT (funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'], CASE WHEN e = 'c' THEN 'STRICT_ORDER' ELSE 'strict_order ' END)).reached FROM fov WHERE c = 'example';
SELECT funnel(interval '1 hour', ts, e, ARRAY['a', 'b', 'c'],
	'exclude e1 between 1 and 2, exclude e2 between 1 and 2, exclude e3 between 1 and 2, exclude e4 between 1 and 2, exclude e5 between 1 and 2, exclude e6 between 1 and 2, exclude e7 between 1 and 2, exclude e8 between 1 and 2, exclude e9 between 1 and 2, exclude e10 between 1 and 2, exclude e11 between 1 and 2, exclude e12 between 1 and 2, exclude e13 between 1 and 2, exclude e14 between 1 and 2, exclude e15 between 1 and 2, exclude e16 between 1 and 2, exclude e17 between 1 and 2') FROM fov;
SELECT funnel(NULL::milestone_path, interval '1 hour', ARRAY['a', 'b'], 'breakdown first_touch');
SELECT funnel(NULL::milestone_path, interval '1 hour', ARRAY['a', 'b'], 'exclude a between 1 and 2');

DROP VIEW fov, fav, fbv;
DROP TABLE fo, fa, fb;
DROP FUNCTION fo_mins(timestamptz[]);
