-- stage_timeline_deserialize refuses a change whose time is outside
-- PostgreSQL's timestamp range with 22P03, as stage_timeline_recv does (run
-- by test/t_crafted_states.sh with the probe module as :'probe').  A state is
-- an int4 change count, then per change an int8 time and a stage byte.
\set ON_ERROR_STOP 1
SET timezone = 'UTC';
SET cx_probe.deserialize = 'stage_timeline_deserialize(bytea,internal)';
SET cx_probe.final = 'stage_timeline_finalfn(internal)';
\ir probe_answer.sql
CREATE TABLE cases (name text, state bytea, expected text);
INSERT INTO cases VALUES
	('time 0, wooing', '\x00000001000000000000000001', 'wooing@2000-01-01 00:00:00+00'),
	('INT64_MAX - 1', '\x000000017ffffffffffffffe01', '22P03'),
	('END_TIMESTAMP', '\x000000017fffff5bb3b2a00001', '22P03'),
	('END_TIMESTAMP - 1', '\x000000017fffff5bb3b29fff01', 'wooing@294276-12-31 23:59:59.999999+00'),
	('MIN_TIMESTAMP', '\x00000001fd0f7cc1411fa00001', 'wooing@4714-11-24 00:00:00+00 BC'),
	('MIN_TIMESTAMP - 1', '\x00000001fd0f7cc1411f9fff01', '22P03'),
	('second change INT64_MIN + 1', '\x0000000200000000000000000180000000000000010201', '22P03');
SELECT name, pg_temp.outcome(state) AS outcome, expected FROM cases ORDER BY name;
DO $$
BEGIN
	IF EXISTS (SELECT FROM cases WHERE pg_temp.outcome(state) IS DISTINCT FROM expected) THEN
		RAISE EXCEPTION 'a crafted stage_timeline state gave another outcome than expected';
	END IF;
END $$;
