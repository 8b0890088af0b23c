-- thousands of mutated milestone_path values sent through binary COPY
-- (milestone_path_recv): each is rejected with 22P03 (or 22021 for a label
-- not valid in the encoding; 54000, past the step limit, is allowed but
-- takes megabytes), or accepted and sends back the very bytes it came
-- from; every accepted value is then read by the funnel, retention,
-- session and growth-map functions over a path and by ||, whose answers
-- must equal the aggregates' over the path's steps as its JSON output lists
-- them; the server never restarts
SET timezone = 'UTC';
SELECT pg_postmaster_start_time() AS started \gset
SELECT setseed(0.25);
\i sql/include/write_copy_file.sql

-- valid paths to mutate: ties, extreme times, a 255-byte label, multibyte
-- labels, a pattern (no times), wide label numbers (300 distinct labels)
CREATE TABLE seeds (p milestone_path);
INSERT INTO seeds VALUES
	('a@2026-01-01 10:00+00 -> b@2026-01-01 10:00+00 -> b@2026-01-01 10:30+00 -> c@2026-01-02 09:00+00 -> a@2026-01-03'),
	('a@4714-11-24 00:00:00+00 BC -> b@4714-11-24 00:00:00.000001+00 BC -> c@294276-12-31 23:59:59.999999+00'),
	('b@2026-01-01 -> a@2026-01-01 -> c@2026-01-01 -> b@2026-01-01 00:00:00.000001+00'),
	(('"' || repeat('x', 255) || '"@2026-01-01 -> café@2026-01-02 -> "😀"@2026-01-02')::milestone_path),
	('a -> b -> a -> c'),
	((SELECT milestone_path_agg('l' || (g % 300), timestamptz '2026-01-01' + g * interval '1 minute')
	  FROM generate_series(1, 400) g)),
	('');

-- a value's mutations: a random byte replaced, a byte set to an edge value,
-- a cut, bytes appended, an 8-byte run set to an edge time (the timestamp
-- range's ends, one past them, +-infinity, 0), a 4-byte run set to an edge
-- count or length
CREATE FUNCTION pg_temp.mutate(v bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	n int := length(v);
	p int := floor(random() * greatest(n, 1))::int;
	edges8 bytea[] := ARRAY['\x7fffffffffffffff', '\x8000000000000000', '\x0000000000000000',
		int8send(-211813488000000000), int8send(-211813488000000001),
		int8send(9223371331199999999), int8send(9223371331200000000)]::bytea[];
	edges4 bytea[] := ARRAY['\x00000000', '\x00000001', '\x000000ff', '\x00000100',
		'\x7fffffff', '\xffffffff', '\x000f4241']::bytea[];
	kind int := floor(random() * 6)::int;
BEGIN
	IF n = 0 THEN
		RETURN '\x00'::bytea;
	ELSIF kind = 0 THEN
		RETURN set_byte(v, p, floor(random() * 256)::int);
	ELSIF kind = 1 THEN
		RETURN set_byte(v, p, (ARRAY[0, 1, 127, 128, 255])[1 + floor(random() * 5)::int]);
	ELSIF kind = 2 THEN
		RETURN substr(v, 1, p);
	ELSIF kind = 3 THEN
		RETURN v || substr(v, 1 + p, 1 + floor(random() * 12)::int);
	ELSIF kind = 4 AND n >= 8 THEN
		p := floor(random() * (n - 7))::int;
		RETURN overlay(v PLACING edges8[1 + floor(random() * 7)::int] FROM p + 1 FOR 8);
	ELSIF n >= 4 THEN
		p := floor(random() * (n - 3))::int;
		RETURN overlay(v PLACING edges4[1 + floor(random() * 7)::int] FROM p + 1 FOR 4);
	END IF;
	RETURN v;
END $$;

-- valid values built byte by byte: random labels (1 to 255 bytes, some
-- multibyte) and times drawn from the ends of the timestamp range, around
-- 2000-01-01 (the binary form's zero) and at random, in order, so that they
-- are accepted and reach every reader below
CREATE FUNCTION pg_temp.random_label() RETURNS bytea LANGUAGE sql AS $$
	SELECT int4send(length(l)) || l
	FROM convert_to((ARRAY['a', 'b', 'c', repeat('é', 127), repeat('z', 255)])[1 + floor(random() * 5)::int], 'UTF8') l
$$;
CREATE TABLE payloads (built bool, payload bytea);
INSERT INTO payloads
SELECT true, '\x01'::bytea || int4send(n) || coalesce((
	SELECT string_agg(l || int8send(t), ''::bytea ORDER BY t)
	FROM (SELECT pg_temp.random_label() AS l,
				 (ARRAY[-211813488000000000, -211813487999999999, -1, 0, 1, 9223371331199999998,
						9223371331199999999, floor(random() * 1e15)::int8])[1 + floor(random() * 8)::int] AS t
		  FROM generate_series(1, n)) steps), ''::bytea)
FROM (SELECT 1 + floor(random() * 6)::int AS n FROM generate_series(1, 300)) g;
-- the same without times (patterns)
INSERT INTO payloads
SELECT true, '\x00'::bytea || int4send(n) || (SELECT string_agg(pg_temp.random_label(), ''::bytea)
												FROM generate_series(1, n))
FROM (SELECT 1 + floor(random() * 6)::int AS n FROM generate_series(1, 100)) g;
-- and mutations of the seeds, one or two each
INSERT INTO payloads
SELECT false, CASE WHEN g % 2 = 0 THEN pg_temp.mutate(pg_temp.mutate(milestone_path_send(p)))
				   ELSE pg_temp.mutate(milestone_path_send(p)) END
FROM seeds, generate_series(1, 300) g;

-- each payload received through binary COPY (into the file the include
-- writes); what became of it
CREATE TABLE one (p milestone_path);
CREATE TABLE outcomes (built bool, payload bytea, accepted bool, sqlstate text, p milestone_path);
DO $$
DECLARE
	r record;
	file text := current_setting('data_directory') || '/cx_copy_test.bin';
BEGIN
	FOR r IN SELECT built, payload FROM payloads LOOP
		PERFORM pg_temp.write_copy_file(r.payload, file);
		BEGIN
			EXECUTE format('COPY one FROM %L (FORMAT binary)', file);
			INSERT INTO outcomes SELECT r.built, r.payload, true, NULL, p FROM one;
			TRUNCATE one;
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO outcomes VALUES (r.built, r.payload, false, SQLSTATE, NULL);
		END;
	END LOOP;
END $$;
-- rejections are bad binary input, a label not valid in the encoding, or a
-- path past its limit, nothing else; every value built valid is accepted;
-- enough of both outcomes among the mutations for the test to mean something
SELECT sqlstate FROM outcomes WHERE NOT accepted AND sqlstate NOT IN ('22P03', '22021', '54000');
SELECT count(*) AS built_valid_but_rejected FROM outcomes WHERE built AND NOT accepted;
SELECT count(*) FILTER (WHERE accepted) > 100 AS many_accepted,
	   count(*) FILTER (WHERE NOT accepted) > 1000 AS many_rejected
FROM outcomes WHERE NOT built;
-- an accepted value sends back the bytes it was received from; the empty
-- path has one encoding, without the times flag, whatever it arrived as
SELECT count(*) AS send_differs FROM outcomes
WHERE accepted AND milestone_path_send(p) <> payload AND payload <> '\x0100000000';
SELECT count(*) AS text_or_json_round_trip_fails FROM outcomes
WHERE accepted AND p::text::milestone_path IS DISTINCT FROM p OR milestone_path(p::json) IS DISTINCT FROM p;

-- the path functions over each distinct accepted value, against the
-- aggregate over its steps as its JSON output lists them (the JSON output
-- reads the path as the functions do; the byte comparison above checks
-- that reading against the bytes received); the steps named are three of
-- its labels (or absent ones) chosen at random
CREATE TABLE questions AS
SELECT DISTINCT ON (p) p, steps, w, gap FROM (
	SELECT p,
		ARRAY(SELECT coalesce((milestones(p))[1 + floor(random() * (length(p) + 1))::int], 'absent')
			  FROM generate_series(1, 3)) AS steps,
		(ARRAY[interval '0', interval '1 second', interval '30 minutes', interval '1 day',
			   interval '100000 days'])[1 + floor(random() * 5)::int] AS w,
		(ARRAY[interval '1 microsecond', interval '30 minutes', interval '100000 days'])[1 + floor(random() * 3)::int] AS gap
	FROM outcomes WHERE accepted) q
ORDER BY p;
SELECT count(*) > 100 AS enough_distinct_values FROM questions;
CREATE TABLE answers AS
SELECT q.p, q.steps, q.w, q.gap, (q.p::json -> 0 ->> 'at') IS NOT NULL AS timed,
	   cardinality(ARRAY(SELECT DISTINCT unnest(q.steps))) = 3 AS steps_differ, r.*
FROM questions q, LATERAL (
	SELECT window_funnel(q.w, (e ->> 'at')::timestamptz, e ->> 'label', q.steps) AS level,
		   window_funnel(q.w, 'strict_order, strict_increase', (e ->> 'at')::timestamptz, e ->> 'label', q.steps) AS level_modes,
		   window_funnel_times(q.w, (e ->> 'at')::timestamptz, e ->> 'label', q.steps) AS times,
		   time_to_convert(q.w, 'strict_deduplication', (e ->> 'at')::timestamptz, e ->> 'label', q.steps) AS convert,
		   retention(e ->> 'label' = q.steps[1], e ->> 'label' = q.steps[2], e ->> 'label' = q.steps[3]) AS kept,
		   session_stats(q.gap, (e ->> 'at')::timestamptz) AS sessions,
		   min((e ->> 'at')::timestamptz) FILTER (WHERE e ->> 'label' = q.steps[1]) AS first_reached,
		   milestone_path_agg(e ->> 'label', (e ->> 'at')::timestamptz) AS canonical
	FROM json_array_elements(q.p::json) e) r;
-- a path with times: every function; a pattern: the ones without times
SELECT count(*) AS timed_paths_that_differ FROM answers
WHERE timed AND (window_funnel(p, w, steps) IS DISTINCT FROM level
	OR window_funnel(p, w, 'strict_order, strict_increase', steps) IS DISTINCT FROM level_modes
	OR window_funnel_times(p, w, steps) IS DISTINCT FROM times
	OR time_to_convert(p, w, 'strict_deduplication', steps) IS DISTINCT FROM convert
	OR retention(p, steps) IS DISTINCT FROM kept
	OR session_stats(p, gap) IS DISTINCT FROM sessions
	OR (steps_differ
		AND (SELECT reached_at FROM milestone_status(p, steps) WHERE milestone = 1) IS DISTINCT FROM first_reached));
SELECT count(*) FILTER (WHERE timed) AS timed, count(*) FILTER (WHERE NOT timed) AS patterns_seen
FROM answers \gset
SELECT :timed > 200 AS many_timed, :patterns_seen > 40 AS many_patterns;
SELECT count(*) AS patterns_that_differ FROM answers
WHERE NOT timed AND (retention(p, steps) IS DISTINCT FROM
		ARRAY(SELECT steps[1] = ANY (milestones(p)) AND s = ANY (milestones(p))
			  FROM unnest(steps) WITH ORDINALITY u(s, i) ORDER BY i)
	OR (steps_differ
		AND (SELECT reached_at FROM milestone_status(p, steps) WHERE milestone = 1) IS NOT NULL));
-- the growth map over each accepted value whose three steps differ (a map
-- may not repeat a label)
SELECT count(*) AS growth_maps_that_differ FROM answers
WHERE steps_differ
	AND milestone_level(p, steps) IS DISTINCT FROM coalesce(
		(SELECT max(i) FROM unnest(steps) WITH ORDINALITY s(l, i) WHERE l = ANY (milestones(p))), 0);
-- merging: a path with itself holds each step twice, and, where the path
-- is as milestone_path_agg builds it, is the path of its rows twice
SELECT count(*) AS merges_that_differ FROM answers
WHERE length(p || p) IS DISTINCT FROM 2 * length(p)
	OR (timed AND p = canonical AND (p || p) IS DISTINCT FROM (
		SELECT milestone_path_agg(e ->> 'label', (e ->> 'at')::timestamptz)
		FROM json_array_elements(p::json) e, generate_series(1, 2)));
SELECT pg_postmaster_start_time() = :'started' AS server_never_restarted;
DROP TABLE seeds, payloads, one, outcomes, questions, answers;
