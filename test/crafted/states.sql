-- Crafted aggregate states (run by test/t_crafted_states.sh with the probe
-- module loaded as :'probe').  For each aggregate with a deserialize
-- function: serialize a real state, check that deserializing it and running
-- the final function gives the aggregate's own answer, then feed thousands of
-- mutations of those bytes (cut, extended, bytes flipped, counts made huge,
-- random) to deserialize + final.  Each must either give an answer or raise
-- a documented error; the server never restarts.
\set ON_ERROR_STOP 1
SET timezone = 'UTC';
SELECT pg_postmaster_start_time() AS started \gset
CREATE FUNCTION probe_serialize_final(internal) RETURNS bytea AS :'probe' LANGUAGE C;
CREATE FUNCTION probe_deserialize_transfn(internal, bytea) RETURNS internal AS :'probe' LANGUAGE C;
CREATE FUNCTION probe_final_text(internal) RETURNS text AS :'probe' LANGUAGE C;
CREATE AGGREGATE probe_answer(bytea) (SFUNC = probe_deserialize_transfn, STYPE = internal,
	FINALFUNC = probe_final_text);
-- the states' bytes, each from the real transition function
CREATE AGGREGATE probe_funnel_bytes(interval, text, timestamptz, VARIADIC "any") (
	SFUNC = window_funnel_mode_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);
CREATE AGGREGATE probe_funnel_event_bytes(interval, timestamptz, text, text[]) (
	SFUNC = window_funnel_event_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);
CREATE AGGREGATE probe_session_bytes(interval, timestamptz) (
	SFUNC = session_stats_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);
CREATE AGGREGATE probe_timeline_bytes(journey_stage, timestamptz) (
	SFUNC = stage_timeline_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);
CREATE AGGREGATE probe_path_bytes(text, timestamptz) (
	SFUNC = milestone_path_agg_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);
CREATE AGGREGATE probe_funnel_options_bytes(interval, timestamptz, text, text[], text, text) (
	SFUNC = funnel_options_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);

CREATE TABLE rows (k text, ts timestamptz, stage journey_stage);
INSERT INTO rows VALUES ('a', '2026-01-01 10:00', 'wooing'), ('b', '2026-01-01 10:05', 'selling'),
	('x', '2026-01-01 10:06', 'selling'), ('c', '2026-01-01 11:00', 'bonding'),
	('a', '2026-01-02 09:00', 'selling'), ('b', '2026-01-02 09:30', 'leadership'),
	('caf"é', '2026-01-03 00:00', 'honeymoon');
CREATE TABLE cases (family text, serialize text, deserialize text, final text, good bytea, answer text);
SET cx_probe.serialize = 'window_funnel_serialize(internal)';
INSERT INTO cases SELECT 'window_funnel', 'window_funnel_serialize(internal)', 'window_funnel_deserialize(bytea,internal)',
	f, probe_funnel_bytes(interval '1 day', 'strict_deduplication', ts, k = 'a', k = 'b', k = 'c'), NULL
	FROM rows, (VALUES ('window_funnel_finalfn(internal)'), ('window_funnel_times_finalfn(internal)'),
				('time_to_convert_finalfn(internal)')) v(f) GROUP BY f;
INSERT INTO cases SELECT 'window_funnel event form', 'window_funnel_serialize(internal)', 'window_funnel_deserialize(bytea,internal)',
	'window_funnel_times_finalfn(internal)', probe_funnel_event_bytes(interval '1 day', ts, k, '{a,b,c,x}'), NULL FROM rows;
SET cx_probe.serialize = 'session_stats_serialize(internal)';
INSERT INTO cases SELECT 'session_stats', 'session_stats_serialize(internal)', 'session_stats_deserialize(bytea,internal)',
	'session_stats_finalfn(internal)', probe_session_bytes(interval '30 minutes', ts), NULL FROM rows;
SET cx_probe.serialize = 'stage_timeline_serialize(internal)';
INSERT INTO cases SELECT 'stage_timeline', 'stage_timeline_serialize(internal)', 'stage_timeline_deserialize(bytea,internal)',
	'stage_timeline_finalfn(internal)', probe_timeline_bytes(stage, ts), NULL FROM rows;
SET cx_probe.serialize = 'milestone_path_agg_serialize(internal)';
INSERT INTO cases SELECT 'milestone_path_agg', 'milestone_path_agg_serialize(internal)', 'milestone_path_agg_deserialize(bytea,internal)',
	'milestone_path_agg_finalfn(internal)', probe_path_bytes(k, ts), NULL FROM rows;
SET cx_probe.serialize = 'funnel_options_serialize(internal)';
INSERT INTO cases SELECT 'funnel', 'funnel_options_serialize(internal)', 'funnel_options_deserialize(bytea,internal)',
	'funnel_options_finalfn(internal)', probe_funnel_options_bytes(interval '1 day', ts, k, '{a,b,c}', o, k), NULL
	FROM rows, (VALUES ('exclude x between 2 and 3, breakdown step 2'), ('strict_order, breakdown last_touch')) v(o) GROUP BY o;
-- the aggregates' own answers
UPDATE cases SET answer = CASE
	WHEN family = 'window_funnel' AND final LIKE 'window_funnel_finalfn%' THEN
		(SELECT window_funnel(interval '1 day', 'strict_deduplication', ts, k = 'a', k = 'b', k = 'c')::text FROM rows)
	WHEN family = 'window_funnel' AND final LIKE 'window_funnel_times%' THEN
		(SELECT window_funnel_times(interval '1 day', 'strict_deduplication', ts, k = 'a', k = 'b', k = 'c')::text FROM rows)
	WHEN family = 'window_funnel' THEN
		(SELECT time_to_convert(interval '1 day', 'strict_deduplication', ts, k = 'a', k = 'b', k = 'c')::text FROM rows)
	WHEN family = 'window_funnel event form' THEN
		(SELECT window_funnel_times(interval '1 day', ts, k, '{a,b,c,x}')::text FROM rows)
	WHEN family = 'session_stats' THEN (SELECT session_stats(interval '30 minutes', ts)::text FROM rows)
	WHEN family = 'stage_timeline' THEN (SELECT stage_timeline(stage, ts)::text FROM rows)
	WHEN family = 'funnel' AND final LIKE 'funnel_options%' AND good = (SELECT probe_funnel_options_bytes(interval '1 day', ts, k, '{a,b,c}', 'exclude x between 2 and 3, breakdown step 2', k) FROM rows) THEN
		(SELECT funnel(interval '1 day', ts, k, '{a,b,c}', 'exclude x between 2 and 3, breakdown step 2', k)::text FROM rows)
	WHEN family = 'funnel' THEN
		(SELECT funnel(interval '1 day', ts, k, '{a,b,c}', 'strict_order, breakdown last_touch', k)::text FROM rows)
	ELSE (SELECT milestone_path_agg(k, ts)::text FROM rows) END;

\ir mutate_states.sql
-- funnel(): a breakdown value comes back out as text with its time, so
-- deserialize refuses one that is not text in the database's encoding (a
-- bad byte, a NUL) or whose time is outside timestamptz's range (22P03).
-- The last_touch case carries the value caf"é: its int4 length 6, then its
-- bytes, after its int8 time.
DO $$
DECLARE
	c cases;
	e int;
BEGIN
	FOR c IN SELECT * FROM cases WHERE family = 'funnel' LOOP
		PERFORM set_config('cx_probe.deserialize', c.deserialize, false);
		PERFORM set_config('cx_probe.final', c.final, false);
		e := position('\x00000006'::bytea || convert_to('caf"é', 'UTF8') IN c.good);
		CONTINUE WHEN e = 0;
		PERFORM pg_temp.try(c, 'value not UTF-8', overlay(c.good PLACING '\xff'::bytea FROM e + 8 FOR 1));
		PERFORM pg_temp.try(c, 'value with a NUL', overlay(c.good PLACING '\x00'::bytea FROM e + 5 FOR 1));
		PERFORM pg_temp.try(c, 'value time past the range', overlay(c.good PLACING '\x7ffffffffffffff0'::bytea FROM e - 8 FOR 8));
		PERFORM pg_temp.try(c, 'value time +infinity', overlay(c.good PLACING '\x7fffffffffffffff'::bytea FROM e - 8 FOR 8));
	END LOOP;
	-- the step 2 case: its excluded event x (an int4 length 1 in network
	-- order, then the name) and a step-2 value b (an int8 time, an int4
	-- length 1 in the server's byte order, then the bytes)
	FOR c IN SELECT * FROM cases WHERE family = 'funnel' AND position('\x0000000178'::bytea IN good) > 0 LOOP
		PERFORM set_config('cx_probe.deserialize', c.deserialize, false);
		PERFORM set_config('cx_probe.final', c.final, false);
		e := position('\x0000000178'::bytea IN c.good);
		PERFORM pg_temp.try(c, 'excluded name not UTF-8', overlay(c.good PLACING '\xff'::bytea FROM e + 4 FOR 1));
		PERFORM pg_temp.try(c, 'excluded name with a NUL', overlay(c.good PLACING '\x00'::bytea FROM e + 4 FOR 1));
		e := greatest(position('\x0100000062'::bytea IN c.good), position('\x0000000162'::bytea IN c.good));
		IF e = 0 THEN
			RAISE EXCEPTION 'no step value b in the funnel state';
		END IF;
		PERFORM pg_temp.try(c, 'step value not UTF-8', overlay(c.good PLACING '\xff'::bytea FROM e + 4 FOR 1));
		PERFORM pg_temp.try(c, 'step value time past the range', overlay(c.good PLACING '\xf0ffffffffffff7f'::bytea FROM e - 8 FOR 8));
	END LOOP;
	IF (SELECT count(*) FROM outcomes WHERE mutation LIKE '% name %' OR mutation LIKE 'step value %') <> 4
		OR EXISTS (SELECT FROM outcomes WHERE (mutation LIKE '% name %' OR mutation LIKE 'step value %')
				   AND (accepted OR sqlstate <> '22P03')) THEN
		RAISE EXCEPTION 'crafted excluded names and step values: %', (SELECT string_agg(format('%s %s %s', mutation, accepted, sqlstate), '; ')
			FROM outcomes WHERE mutation LIKE '% name %' OR mutation LIKE 'step value %');
	END IF;
	IF (SELECT count(*) FROM outcomes WHERE mutation LIKE 'value %') <> 4
		OR EXISTS (SELECT FROM outcomes WHERE mutation LIKE 'value %' AND mutation <> 'value time +infinity'
				   AND (accepted OR sqlstate <> '22P03'))
		OR EXISTS (SELECT FROM outcomes WHERE mutation = 'value time +infinity' AND NOT accepted) THEN
		RAISE EXCEPTION 'crafted breakdown values: %', (SELECT string_agg(format('%s %s %s', mutation, accepted, sqlstate), '; ')
			FROM outcomes WHERE mutation LIKE 'value %');
	END IF;
END $$;
-- documented: 22P03 invalid binary state, 08P01 bytes missing (PostgreSQL's
-- message reader), 54000 over a limit, 22021 bad encoding, 22008 time out of
-- range, 22023 bad value
SELECT family, count(*) AS tried, count(*) FILTER (WHERE accepted) AS accepted,
	   coalesce(string_agg(DISTINCT sqlstate, ',') FILTER (WHERE sqlstate NOT IN ('22P03', '08P01', '54000', '22021', '22008', '22023')), 'none') AS undocumented
FROM outcomes GROUP BY family ORDER BY family;
SELECT family, sqlstate, left(message, 120) AS example FROM outcomes
WHERE NOT accepted AND sqlstate NOT IN ('22P03', '08P01', '54000', '22021', '22008', '22023') LIMIT 10;
DO $$
BEGIN
	IF EXISTS (SELECT FROM outcomes WHERE NOT accepted AND sqlstate NOT IN ('22P03', '08P01', '54000', '22021', '22008', '22023')) THEN
		RAISE EXCEPTION 'undocumented SQLSTATE from a crafted state';
	END IF;
	IF (SELECT count(DISTINCT family) FROM outcomes) <> 6 OR (SELECT count(*) FROM outcomes WHERE NOT accepted) < 1000 THEN
		RAISE EXCEPTION 'too few crafted states were tried';
	END IF;
END $$;
SELECT pg_postmaster_start_time() = :'started' AS server_never_restarted \gset
\if :server_never_restarted
\else
	\echo 'the server restarted'
	SELECT 1/0;
\endif
