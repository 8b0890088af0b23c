-- Sequence patterns (issue 16): every rule by hand, each error with its
-- message and SQLSTATE, and the path functions equal to the aggregates.
-- Times are whole seconds after 2024-01-01 00:00 UTC; secs() shows a
-- timestamptz[] as those numbers.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
\set VERBOSITY default
CREATE FUNCTION secs(timestamptz[]) RETURNS int[] LANGUAGE sql IMMUTABLE AS
$$ SELECT array_agg(extract(epoch FROM t - timestamptz '2024-01-01')::int ORDER BY o)
   FROM unnest($1) WITH ORDINALITY u(t, o) $$;
-- one customer per test case: (case, second, event)
CREATE TABLE sq (c text, s int, e text);
CREATE VIEW sqv AS SELECT c, s, timestamptz '2024-01-01' + s * interval '1 second' AS ts, e FROM sq;
INSERT INTO sq VALUES
	-- the issue's example: a@0 b@1 b@2 c@3
	('abbc', 0, 'a'), ('abbc', 1, 'b'), ('abbc', 2, 'b'), ('abbc', 3, 'c'),
	-- x matches no condition: invisible
	('axb', 0, 'a'), ('axb', 1, 'x'), ('axb', 2, 'b'),
	-- times around a time condition
	('gap', 0, 'a'), ('gap', 100, 'b'), ('gap', 4000, 'c'),
	-- ClickHouse's .* trap: c far from a
	('trap', 0, 'a'), ('trap', 10, 'b'), ('trap', 5000, 'c'),
	-- ties: a and b at one instant (a's mask 1 < b's mask 2)
	('tie', 5, 'b'), ('tie', 5, 'a'),
	-- repeated pairs, overlapping starts
	('abab', 0, 'a'), ('abab', 1, 'b'), ('abab', 2, 'a'), ('abab', 3, 'b'),
	('aab', 0, 'a'), ('aab', 1, 'a'), ('aab', 2, 'b'),
	-- the window
	('win', 0, 'a'), ('win', 5, 'b'), ('win', 12, 'a'), ('win', 14, 'b'), ('win', 20, 'c'),
	-- equal and unequal gaps
	('eq', 0, 'a'), ('eq', 10, 'b'), ('eq', 20, 'b'),
	-- what follows and precedes a match, with ties and invisible rows
	('next', 0, 'z'), ('next', 0, 'y'), ('next', 1, 'a'), ('next', 2, 'b'), ('next', 3, 'x'),
	('next', 3, 'w'), ('next', 4, 'a');

-- The chosen match: earliest start, then earliest events; .* is lazy.
SELECT c, sequence_match('(?1).*(?2).*(?3)', ts, e = 'a', e = 'b', e = 'c') AS m,
	   sequence_count('(?1).*(?2).*(?3)', ts, e = 'a', e = 'b', e = 'c') AS n,
	   secs(sequence_match_events('(?1).*(?2).*(?3)', ts, e = 'a', e = 'b', e = 'c')) AS events
FROM sqv WHERE c = 'abbc' GROUP BY c;
-- the event form gives the same
SELECT secs(sequence_match_events('(?1).*(?2).*(?3)', ts, e, ARRAY['a', 'b', 'c'])) FROM sqv WHERE c = 'abbc';
-- adjacency: without .* atoms are consecutive among visible rows; '.' is one event
SELECT sequence_match('(?1)(?2)', ts, e = 'a', e = 'b') AS ab_invisible_x,
	   sequence_match('(?1)(?2)', ts, e = 'a', e = 'b', e = 'x') AS ab_visible_x,
	   sequence_match('(?1).(?2)', ts, e = 'a', e = 'b', e = 'x') AS a_any_b,
	   sequence_match('(?1).(?2)', ts, e = 'a', e = 'b') AS a_any_b_invisible_x
FROM sqv WHERE c = 'axb';
-- NULL condition = false; NULL time skips the row
SELECT sequence_match('(?1)(?2)', ts, e = 'a', CASE WHEN e = 'b' THEN NULL ELSE false END) AS null_cond,
	   sequence_match('(?1)(?2)', CASE WHEN e = 'x' THEN NULL ELSE ts END, e = 'a', e = 'b', e = 'x') AS null_time
FROM sqv WHERE c = 'axb';

-- A time condition measures from the last consumed event to the next one,
-- events may lie between: a@0 b@100 c@4000
SELECT sequence_match('(?1)(?t<=3600)(?3)', ts, e = 'a', e = 'b', e = 'c') AS a_c_within_hour,
	   sequence_match('(?2)(?t<=3600)(?3)', ts, e = 'a', e = 'b', e = 'c') AS b_c_within_hour,
	   sequence_match('(?1)(?t<=3600)(?2)(?3)', ts, e = 'a', e = 'b', e = 'c') AS a_b_then_c,
	   sequence_match('(?1)(?t<=''1 hour'')(?3)', ts, e = 'a', e = 'b', e = 'c') AS quoted,
	   sequence_match('(?1)(?t>100)(?3)', ts, e = 'a', e = 'b', e = 'c') AS gt,
	   sequence_match('(?1)(?t>=4000)(?3)', ts, e = 'a', e = 'b', e = 'c') AS ge,
	   sequence_match('(?1)(?t<4000)(?3)', ts, e = 'a', e = 'b', e = 'c') AS lt,
	   sequence_match('(?1)(?t==100)(?2)', ts, e = 'a', e = 'b', e = 'c') AS eq,
	   sequence_match('(?1)(?t!=100)(?2)', ts, e = 'a', e = 'b', e = 'c') AS ne
FROM sqv WHERE c = 'gap';
-- after .*, a time condition still measures from the last consumed event:
-- a@0 b@10 c@5000, so (?1).*(?t<=3600)(?3) fails (ClickHouse matches it)
SELECT sequence_match('(?1).*(?t<=3600)(?3)', ts, e = 'a', e = 'b', e = 'c') AS ours,
	   sequence_match('(?1).*(?3)', ts, e = 'a', e = 'b', e = 'c') AS no_condition,
	   sequence_match('(?2).*(?t<=5000)(?3)', ts, e = 'a', e = 'b', e = 'c') AS from_b
FROM sqv WHERE c = 'trap';
-- == and != pick among equal gaps: a@0 b@10 b@20
SELECT secs(sequence_match_events('(?1)(?t==20)(?2)', ts, e = 'a', e = 'b')) AS eq20,
	   secs(sequence_match_events('(?1)(?t!=10)(?2)', ts, e = 'a', e = 'b')) AS ne10,
	   secs(sequence_match_events('(?1)(?t>=10)(?t<=15)(?2)', ts, e = 'a', e = 'b')) AS both,
	   sequence_match('(?1)(?t>15)(?t<20)(?2)', ts, e = 'a', e = 'b') AS none_between
FROM sqv WHERE c = 'eq';

-- Ties: canonical order (time, then mask): a (mask 1) before b (mask 2)
SELECT sequence_match('(?1)(?2)', ts, e = 'a', e = 'b') AS ab,
	   sequence_match('(?2)(?1)', ts, e = 'a', e = 'b') AS ba,
	   sequence_match('(?1)(?t>0)(?2)', ts, e = 'a', e = 'b') AS ab_later,
	   sequence_match('(?1)(?t==0)(?2)', ts, e = 'a', e = 'b') AS ab_same_instant,
	   -- swap the condition numbers and the order swaps too
	   sequence_match('(?2)(?1)', ts, e = 'b', e = 'a') AS swapped
FROM sqv WHERE c = 'tie';

-- sequence_count: non-overlapping, restarting after the last consumed event
SELECT c, sequence_count('(?1).*(?2)', ts, e = 'a', e = 'b') AS pairs,
	   sequence_count('(?1)', ts, e = 'a', e = 'b') AS a_rows,
	   sequence_count('(?1)(?2)', ts, e = 'a', e = 'b') AS adjacent_pairs
FROM sqv WHERE c IN ('abab', 'aab') GROUP BY c ORDER BY c;
-- a row at the same instant as the last event, later in canonical order,
-- starts the next match: both tied rows satisfy (?1)
SELECT sequence_count('(?1)', ts, true, e = 'b') AS tied_rows,
	   sequence_count('(?1)(?2)', ts, true, e = 'b') AS tied_pair
FROM sqv WHERE c = 'tie';

-- The window (?w<=D): a@0 b@5 a@12 b@14 c@20
SELECT secs(sequence_match_events('(?w<=10)(?1).*(?2).*(?3)', ts, e = 'a', e = 'b', e = 'c')) AS within_10,
	   secs(sequence_match_events('(?w<=20)(?1).*(?2).*(?3)', ts, e = 'a', e = 'b', e = 'c')) AS within_20,
	   sequence_match('(?w<8)(?1).*(?2).*(?3)', ts, e = 'a', e = 'b', e = 'c') AS under_8,
	   sequence_match('(?w<=''8 seconds'')(?1).*(?2).*(?3)', ts, e = 'a', e = 'b', e = 'c') AS within_8,
	   sequence_count('(?w<=5)(?1).*(?2)', ts, e = 'a', e = 'b') AS pairs_within_5
FROM sqv WHERE c = 'win';

-- Groups, alternation (in written order), quantifiers; events of (?N) only
SELECT secs(sequence_match_events('((?1)|(?2))+(?3)', ts, e = 'a', e = 'b', e = 'c')) AS plus,
	   secs(sequence_match_events('(?1)(?2){2}', ts, e = 'a', e = 'b', e = 'c')) AS exactly_2,
	   sequence_match('(?1)(?2){3}', ts, e = 'a', e = 'b', e = 'c') AS exactly_3,
	   secs(sequence_match_events('(?1)(?2){1,}(?3)', ts, e = 'a', e = 'b', e = 'c')) AS at_least_1,
	   secs(sequence_match_events('(?1).{1,2}(?3)', ts, e = 'a', e = 'b', e = 'c')) AS any_1_2,
	   secs(sequence_match_events('(?1)(?2)?(?2)?(?3)', ts, e = 'a', e = 'b', e = 'c')) AS optional,
	   secs(sequence_match_events('(?1)((?2)|.)(?2)', ts, e = 'a', e = 'b', e = 'c')) AS first_alternative,
	   secs(sequence_match_events('(?1)(.|(?2))(?2)', ts, e = 'a', e = 'b', e = 'c')) AS dot_first,
	   secs(sequence_match_events('(?2)|(?1)', ts, e = 'a', e = 'b', e = 'c')) AS earliest_start
FROM sqv WHERE c = 'abbc';

-- No match: NULL events, false, 0; no rows at all likewise
SELECT sequence_match_events('(?3)(?1)', ts, e = 'a', e = 'b', e = 'c') IS NULL AS events_null,
	   sequence_match('(?3)(?1)', ts, e = 'a', e = 'b', e = 'c') AS m,
	   sequence_count('(?3)(?1)', ts, e = 'a', e = 'b', e = 'c') AS n
FROM sqv WHERE c = 'abbc';
SELECT sequence_match('(?1)', ts, true), sequence_count('(?1)', ts, true),
	   sequence_match_events('(?1)', ts, true), sequence_next('(?1)', ts, e, ARRAY['a'])
FROM sqv WHERE false;
-- a match consumed by '.' only reports no (?N) events: {} (not NULL)
SELECT sequence_match_events('.', ts, true) FROM sqv WHERE c = 'abbc';

-- sequence_next / sequence_previous: z@0 y@0 a@1 b@2 x@3 w@3 a@4
SELECT sequence_next('(?1)(?2)', ts, e, ARRAY['a', 'b']) AS next_ab,
	   sequence_previous('(?1)(?2)', ts, e, ARRAY['a', 'b']) AS previous_ab,
	   sequence_next('(?1).*(?1)', ts, e, ARRAY['a', 'b']) AS next_after_end,
	   sequence_previous('(?2)', ts, e, ARRAY['a', 'b']) AS previous_b,
	   sequence_next('(?3)', ts, e, ARRAY['a', 'b', 'q']) AS no_match,
	   sequence_next('(?1)', ts, e, ARRAY['w']) AS next_of_tied_w
FROM sqv WHERE c = 'next';

-- Over a path: the same answers as the aggregates' event form
CREATE TABLE sqp AS SELECT c, milestone_path_agg(e, ts) AS p FROM sqv GROUP BY c;
WITH pat(pattern, steps) AS (VALUES
	('(?1).*(?2).*(?3)', ARRAY['a', 'b', 'c']), ('(?1)(?2)', ARRAY['a', 'b']),
	('(?1)(?t<=3600)(?3)', ARRAY['a', 'b', 'c']), ('(?w<=10)(?1).*(?2).*(?3)', ARRAY['a', 'b', 'c']),
	('((?1)|(?2))+(?3)', ARRAY['a', 'b', 'c']), ('(?2)(?1)', ARRAY['a', 'b']),
	('(?1)', ARRAY['a', 'b', 'x']), ('(?1).(?2)', ARRAY['a', 'b', 'x'])),
agg AS (SELECT v.c, pattern,
			   sequence_match(pattern, ts, e, steps) AS m, sequence_count(pattern, ts, e, steps) AS n,
			   sequence_match_events(pattern, ts, e, steps) AS ev,
			   sequence_next(pattern, ts, e, steps) AS nx, sequence_previous(pattern, ts, e, steps) AS pv
		FROM sqv v, pat GROUP BY v.c, pattern),
path AS (SELECT c, pattern, sequence_match(p, pattern, steps) AS m, sequence_count(p, pattern, steps) AS n,
				sequence_match_events(p, pattern, steps) AS ev,
				sequence_next(p, pattern, steps) AS nx, sequence_previous(p, pattern, steps) AS pv
		 FROM sqp, pat)
SELECT count(*) AS compared, count(*) FILTER (WHERE (a.m, a.n, a.ev, a.nx, a.pv) IS DISTINCT FROM (p.m, p.n, p.ev, p.nx, p.pv)) AS differing,
	   count(*) FILTER (WHERE a.m) AS matched, sum(a.n) AS matches, count(a.nx) AS with_next, count(a.pv) AS with_previous
FROM agg a JOIN path p USING (c, pattern);
SELECT sequence_next(p, '(?1)(?2)', ARRAY['a', 'b']), sequence_previous(p, '(?1)(?2)', ARRAY['a', 'b']),
	   secs(sequence_match_events(p, '(?1).*(?1)', ARRAY['a', 'b'])), sequence_count(p, '(?1)', ARRAY['a', 'y', 'z'])
FROM sqp WHERE c = 'next';
-- NULL path: NULL; a path without times: 22023; bad arguments are errors whatever the path
SELECT sequence_match(NULL::milestone_path, '(?1)', ARRAY['a']) IS NULL AS null_path;
SELECT sequence_match('a -> b'::milestone_path, '(?1)', ARRAY['a']);
SELECT sequence_match(NULL::milestone_path, '(?2)', ARRAY['a']);
SELECT sequence_count(p, NULL, ARRAY['a']) FROM sqp WHERE c = 'next';
SELECT sequence_count(p, '(?1)', NULL) FROM sqp WHERE c = 'next';
SELECT sequence_count(p, '(?1)', ARRAY['a', NULL]) FROM sqp WHERE c = 'next';
SELECT sequence_count(p, '(?1)', ARRAY[]::text[]) FROM sqp WHERE c = 'next';
SELECT sequence_count(p, '(?1)', (SELECT array_agg(i::text) FROM generate_series(1, 65) i)) FROM sqp WHERE c = 'next';
-- 64 steps is the most, (?64) the last condition
SELECT sequence_match(milestone_path '"64"@2024-01-01 00:00:00+00', '(?64)', (SELECT array_agg(i::text) FROM generate_series(1, 64) i));

-- Errors of patterns (22023), with the 1-based position and what was expected
\set ON_ERROR_STOP 0
SELECT sequence_match('(?1)*', ts, e = 'a') FROM sqv;
SELECT sequence_match('.*', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?2)?', ts, e = 'a', e = 'b') FROM sqv;
SELECT sequence_match('(?1)|', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?t<=3600)(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('.*(?t<=3600)(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?t<=3600)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)((?t<=3600)|(?1))', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?t<=3600).*', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?x)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?0)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?65)', ts, e = 'a') FROM sqv;
SELECT sequence_match('((?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1))', ts, e = 'a') FROM sqv;
SELECT sequence_match('*(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)**', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1).**', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?t<=5)+(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1){3,2}', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1){2', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?t=5)(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?t<=)(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?t<=''1 month'')(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?t<=''1 hour)(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?w<=5)(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?w>5)(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('x', ts, e = 'a') FROM sqv;
SELECT sequence_match('', ts, e = 'a') FROM sqv;
SELECT sequence_match(NULL, ts, e = 'a') FROM sqv;
-- a condition number past the conditions given
SELECT sequence_match('(?1)(?3)', ts, e = 'a', e = 'b') FROM sqv;
SELECT sequence_match('(?1)(?3)', ts, e, ARRAY['a', 'b']) FROM sqv;
-- past the limits (54000)
SELECT sequence_match('(?1)' || repeat('(?t<5)(?1)', 65), ts, e = 'a') FROM sqv;
SELECT sequence_match('((?1){1000}){10}', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1){1001}', ts, e = 'a') FROM sqv;
-- conditions: booleans, not an array
SELECT sequence_match('(?1)', ts, e) FROM sqv;
SELECT sequence_match('(?1)', ts, VARIADIC ARRAY[true]) FROM sqv;
-- the pattern and the steps must be the same for every row of a group
SELECT sequence_match(CASE WHEN s < 2 THEN '(?1)' ELSE '(?1)(?1)' END, ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)', ts, e, CASE WHEN s < 2 THEN ARRAY['a'] ELSE ARRAY['b'] END) FROM sqv;
-- the SQLSTATE of each kind of error
\set VERBOSITY sqlstate
SELECT sequence_match('(?1', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)*', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?t<1)(?1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)(?t<1)', ts, e = 'a') FROM sqv;
SELECT sequence_match('(?2)', ts, e = 'a') FROM sqv;
SELECT sequence_match(NULL, ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1){1001}', ts, e = 'a') FROM sqv;
SELECT sequence_match('((?1){1000}){10}', ts, e = 'a') FROM sqv;
SELECT sequence_count(p, '(?1)', (SELECT array_agg(i::text) FROM generate_series(1, 65) i)) FROM sqp WHERE c = 'next';
SELECT sequence_count(p, '(?1)', ARRAY['a', NULL]) FROM sqp WHERE c = 'next';
SELECT sequence_match(CASE WHEN s < 2 THEN '(?1)' ELSE '(?1)(?1)' END, ts, e = 'a') FROM sqv;
SELECT sequence_match('(?1)', ts, e) FROM sqv;
SELECT sequence_match('(?1)', ts, VARIADIC ARRAY[true]) FROM sqv;
SELECT sequence_match('a -> b'::milestone_path, '(?1)', ARRAY['a']);
\set VERBOSITY default
\set ON_ERROR_STOP 1
-- a different pattern per group is fine
SELECT c, sequence_match(CASE c WHEN 'abbc' THEN '(?1)(?2)' ELSE '(?2)(?1)' END, ts, e = 'a', e = 'b')
FROM sqv WHERE c IN ('abbc', 'tie') GROUP BY c ORDER BY c;
-- white space between tokens is allowed
SELECT sequence_match(' (?1) .* (?t <= 3600) (?2) ', ts, e = 'a', e = 'b') FROM sqv WHERE c = 'abbc';
