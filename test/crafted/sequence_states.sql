-- Crafted states of the sequence aggregates (run by test/t_crafted_states.sh
-- with the probe module loaded as :'probe'), as test/crafted/states.sql does
-- for the others: serialize a real state, check the round trip gives the
-- aggregate's answer, then feed thousands of mutations of those bytes to
-- sequence_deserialize and each final function.  Each gives an answer or a
-- documented error; the server never restarts.  A crafted state may carry
-- any pattern, which is then compiled (22023 / 54000 for a bad one).
\set ON_ERROR_STOP 1
SET timezone = 'UTC';
SELECT pg_postmaster_start_time() AS started \gset
CREATE FUNCTION probe_serialize_final(internal) RETURNS bytea AS :'probe' LANGUAGE C;
CREATE FUNCTION probe_deserialize_transfn(internal, bytea) RETURNS internal AS :'probe' LANGUAGE C;
CREATE FUNCTION probe_final_text(internal) RETURNS text AS :'probe' LANGUAGE C;
CREATE AGGREGATE probe_answer(bytea) (SFUNC = probe_deserialize_transfn, STYPE = internal,
	FINALFUNC = probe_final_text);
CREATE AGGREGATE probe_seq_bytes(text, timestamptz, VARIADIC "any") (
	SFUNC = sequence_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);
CREATE AGGREGATE probe_seq_event_bytes(text, timestamptz, text, text[]) (
	SFUNC = sequence_event_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);
CREATE AGGREGATE probe_seq_next_bytes(text, timestamptz, text, text[]) (
	SFUNC = sequence_next_transfn, STYPE = internal, FINALFUNC = probe_serialize_final);

CREATE TABLE rows (k text, ts timestamptz);
INSERT INTO rows VALUES ('a', '2026-01-01 10:00'), ('b', '2026-01-01 10:05'), ('x', '2026-01-01 10:06'),
	('c', '2026-01-01 11:00'), ('a', '2026-01-02 09:00'), ('b', '2026-01-02 09:00'), ('caf"é', '2026-01-03 00:00');
CREATE TABLE cases (family text, serialize text, deserialize text, final text, good bytea, answer text);
SET cx_probe.serialize = 'sequence_serialize(internal)';
INSERT INTO cases SELECT 'sequence conditions', 'sequence_serialize(internal)', 'sequence_deserialize(bytea,internal)',
	f, probe_seq_bytes('(?1).*(?t<=3600)(?2)((?3)|.)', ts, k = 'a', k = 'b', k = 'c'), NULL
	FROM rows, (VALUES ('sequence_match_finalfn(internal)'), ('sequence_count_finalfn(internal)'),
				('sequence_match_events_finalfn(internal)')) v(f) GROUP BY f;
INSERT INTO cases SELECT 'sequence event form', 'sequence_serialize(internal)', 'sequence_deserialize(bytea,internal)',
	'sequence_match_events_finalfn(internal)', probe_seq_event_bytes('(?w<=86400)(?1).*(?2)', ts, k, '{a,b,c}'), NULL FROM rows;
INSERT INTO cases SELECT 'sequence_next', 'sequence_serialize(internal)', 'sequence_deserialize(bytea,internal)',
	f, probe_seq_next_bytes('(?2).*(?1)', ts, k, '{a,b}'), NULL
	FROM rows, (VALUES ('sequence_next_finalfn(internal)'), ('sequence_previous_finalfn(internal)')) v(f) GROUP BY f;
-- the aggregates' own answers
UPDATE cases SET answer = CASE
	WHEN final LIKE 'sequence_match_finalfn%' THEN
		(SELECT CASE WHEN sequence_match('(?1).*(?t<=3600)(?2)((?3)|.)', ts, k = 'a', k = 'b', k = 'c') THEN 't' ELSE 'f' END FROM rows)
	WHEN final LIKE 'sequence_count_finalfn%' THEN
		(SELECT sequence_count('(?1).*(?t<=3600)(?2)((?3)|.)', ts, k = 'a', k = 'b', k = 'c')::text FROM rows)
	WHEN family = 'sequence conditions' THEN
		(SELECT sequence_match_events('(?1).*(?t<=3600)(?2)((?3)|.)', ts, k = 'a', k = 'b', k = 'c')::text FROM rows)
	WHEN family = 'sequence event form' THEN
		(SELECT sequence_match_events('(?w<=86400)(?1).*(?2)', ts, k, '{a,b,c}')::text FROM rows)
	WHEN final LIKE 'sequence_next%' THEN (SELECT sequence_next('(?2).*(?1)', ts, k, '{a,b}') FROM rows)
	ELSE (SELECT sequence_previous('(?2).*(?1)', ts, k, '{a,b}') FROM rows) END;
SELECT family, final, answer FROM cases ORDER BY family, final;

\ir mutate_states.sql
-- States a mutation of one byte seldom makes, each refused with 22P03: a row
-- time outside timestamptz's range (not +-infinity, which are kept), and a
-- label or a pattern that is not text in the database's encoding (a NUL, a
-- bad byte).
-- The first row's time starts after the header and the pattern: byte 26 +
-- pattern length (its int4 ends at byte 17).
DO $$
DECLARE
	c cases;
	at int;
	e int;
BEGIN
	FOR c IN SELECT * FROM cases LOOP
		PERFORM set_config('cx_probe.deserialize', c.deserialize, false);
		PERFORM set_config('cx_probe.final', c.final, false);
		at := 26 + get_byte(c.good, 17) + 1;
		PERFORM pg_temp.try(c, 'time past the range', overlay(c.good PLACING '\x7ffffffffffffff0'::bytea FROM at FOR 8));
		PERFORM pg_temp.try(c, 'time before the range', overlay(c.good PLACING '\x8000000000000001'::bytea FROM at FOR 8));
		PERFORM pg_temp.try(c, 'time +infinity', overlay(c.good PLACING '\x7fffffffffffffff'::bytea FROM at FOR 8));
		-- the pattern (from byte 18) is quoted in errors: text too
		PERFORM pg_temp.try(c, 'pattern with a NUL', overlay(c.good PLACING '\x00'::bytea FROM 19 FOR 1));
		PERFORM pg_temp.try(c, 'pattern not UTF-8', overlay(c.good PLACING '\xff'::bytea FROM 18 FOR 1));
		IF c.family = 'sequence_next' THEN
			e := position('\xc3a9'::bytea IN c.good);
			IF e = 0 THEN
				RAISE EXCEPTION 'no label caf"é in the sequence_next state';
			END IF;
			PERFORM pg_temp.try(c, 'label with a NUL', overlay(c.good PLACING '\x00'::bytea FROM e + 1 FOR 1));
			PERFORM pg_temp.try(c, 'label not UTF-8', overlay(c.good PLACING '\xff'::bytea FROM e FOR 1));
		END IF;
	END LOOP;
	IF EXISTS (SELECT FROM outcomes WHERE mutation IN ('time past the range', 'time before the range',
			'label with a NUL', 'label not UTF-8', 'pattern with a NUL', 'pattern not UTF-8') AND (accepted OR sqlstate <> '22P03'))
		OR (SELECT count(*) FROM outcomes WHERE mutation IN ('time past the range', 'time before the range',
			'label with a NUL', 'label not UTF-8', 'pattern with a NUL', 'pattern not UTF-8')) <> 4 * 6 + 2 * 2
		OR EXISTS (SELECT FROM outcomes WHERE mutation = 'time +infinity' AND NOT accepted) THEN
		RAISE EXCEPTION 'crafted times or labels: %', (SELECT string_agg(format('%s %s %s %s', family, mutation, accepted, sqlstate), '; ')
			FROM outcomes WHERE mutation IN ('time past the range', 'time before the range', 'time +infinity',
				'label with a NUL', 'label not UTF-8', 'pattern with a NUL', 'pattern not UTF-8'));
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
	IF (SELECT count(DISTINCT family) FROM outcomes) <> 3 OR (SELECT count(*) FROM outcomes WHERE NOT accepted) < 1000 THEN
		RAISE EXCEPTION 'too few crafted states were tried';
	END IF;
END $$;
SELECT pg_postmaster_start_time() = :'started' AS server_never_restarted \gset
\if :server_never_restarted
\else
	\echo 'the server restarted'
	SELECT 1/0;
\endif
