-- window_funnel_deserialize refuses (22P03) a wide row whose time is neither
-- a valid timestamp nor +-infinity, a steps hash of neither form (0 for the
-- conditions form, odd for the event form), allow_reentry without
-- strict_order and unknown mode bits (run by test/t_crafted_states.sh with the
-- probe module of test/crafted as :'probe').  A state is nsteps int4, flags
-- int4, window int8, packed byte, row count int4, steps hash int8, then per
-- wide row a time int8 and a mask int8.
\set ON_ERROR_STOP 1
SET timezone = 'UTC';
SET cx_probe.deserialize = 'window_funnel_deserialize(bytea,internal)';
SET cx_probe.final = 'window_funnel_times_finalfn(internal)';
\ir probe_answer.sql
-- a wide one-step state of one row at ts with the given flags and hash
CREATE FUNCTION pg_temp.wide(flags int, hash bigint, ts bigint) RETURNS bytea LANGUAGE sql AS $$
	SELECT int4send(1) || int4send(flags) || int8send(3600000000) || '\x00'::bytea
		|| int4send(1) || int8send(hash) || int8send(ts) || int8send(1)
$$;
CREATE TABLE cases (name text, state bytea, expected text);
INSERT INTO cases VALUES
	('time 0', pg_temp.wide(0, 0, 0), '{"2000-01-01 00:00:00+00"}'),
	('infinity', pg_temp.wide(0, 0, 9223372036854775807), '{infinity}'),
	('-infinity', pg_temp.wide(0, 0, -9223372036854775808), '{-infinity}'),
	('END_TIMESTAMP - 1', pg_temp.wide(0, 0, 9223371331199999999), '{"294276-12-31 23:59:59.999999+00"}'),
	('END_TIMESTAMP', pg_temp.wide(0, 0, 9223371331200000000), '22P03'),
	('INT64_MAX - 1', pg_temp.wide(0, 0, 9223372036854775806), '22P03'),
	('MIN_TIMESTAMP', pg_temp.wide(0, 0, -211813488000000000), '{"4714-11-24 00:00:00+00 BC"}'),
	('MIN_TIMESTAMP - 1', pg_temp.wide(0, 0, -211813488000000001), '22P03'),
	('INT64_MIN + 1', pg_temp.wide(0, 0, -9223372036854775807), '22P03'),
	('odd steps hash (event form)', pg_temp.wide(0, 12345, 0), '{"2000-01-01 00:00:00+00"}'),
	('even steps hash', pg_temp.wide(0, 12344, 0), '22P03'),
	('steps hash -2', pg_temp.wide(0, -2, 0), '22P03'),
	('strict_order, allow_reentry', pg_temp.wide(17, 0, 0), '{"2000-01-01 00:00:00+00"}'),
	('allow_reentry alone', pg_temp.wide(16, 0, 0), '22P03'),
	('first_entry, allow_reentry', pg_temp.wide(24, 0, 0), '22P03'),
	('unknown mode bit 32', pg_temp.wide(32 + 1, 0, 0), '22P03'),
	('unknown mode bit 31', pg_temp.wide(-2147483648, 0, 0), '22P03');
SELECT name, pg_temp.outcome(state) AS outcome, expected FROM cases ORDER BY name;
DO $$
BEGIN
	IF EXISTS (SELECT FROM cases WHERE pg_temp.outcome(state) IS DISTINCT FROM expected) THEN
		RAISE EXCEPTION 'a crafted window_funnel state gave another outcome than expected';
	END IF;
END $$;
