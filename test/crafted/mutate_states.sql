-- The mutations every crafted-state check runs (\ir mutate_states.sql after
-- filling the table cases (family, deserialize, final, good, answer)): each
-- case's real bytes must give the aggregate's answer; then every byte cut,
-- flipped, bit-flipped, overwritten with extreme integers, the bytes
-- extended, doubled and replaced or followed by random bytes, each outcome
-- (accepted, or its SQLSTATE and message) into the table outcomes.
CREATE TABLE outcomes (family text, mutation text, accepted bool, sqlstate text, message text);
CREATE FUNCTION pg_temp.try(c cases, mutation text, bytes bytea) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM probe_answer(bytes);
	INSERT INTO outcomes VALUES (c.family, mutation, true, NULL, NULL);
EXCEPTION WHEN OTHERS THEN
	INSERT INTO outcomes VALUES (c.family, mutation, false, SQLSTATE, SQLERRM);
END $$;
SELECT setseed(0.25);
DO $$
DECLARE
	c cases;
	n int;
	i int;
	b bytea;
	answer text;
BEGIN
	FOR c IN SELECT * FROM cases LOOP
		PERFORM set_config('cx_probe.deserialize', c.deserialize, false);
		PERFORM set_config('cx_probe.final', c.final, false);
		-- the real bytes give the real answer
		answer := probe_answer(c.good);
		IF answer IS DISTINCT FROM c.answer THEN
			RAISE EXCEPTION '% / %: state round trip gave %, the aggregate %', c.family, c.final, answer, c.answer;
		END IF;
		n := length(c.good);
		FOR i IN 0 .. n - 1 LOOP
			PERFORM pg_temp.try(c, 'cut', substring(c.good FROM 1 FOR i));
			PERFORM pg_temp.try(c, 'flip', set_byte(c.good, i, get_byte(c.good, i) # 255));
			PERFORM pg_temp.try(c, 'bit', set_byte(c.good, i, get_byte(c.good, i) # (1 << floor(random() * 8)::int)));
			IF i + 4 <= n THEN
				PERFORM pg_temp.try(c, 'huge int4', overlay(c.good PLACING '\x7fffffff'::bytea FROM i + 1 FOR 4));
				PERFORM pg_temp.try(c, 'negative int4', overlay(c.good PLACING '\xffffffff'::bytea FROM i + 1 FOR 4));
			END IF;
			IF i + 8 <= n THEN
				PERFORM pg_temp.try(c, 'huge int8', overlay(c.good PLACING '\x7fffffffffffffff'::bytea FROM i + 1 FOR 8));
			END IF;
		END LOOP;
		PERFORM pg_temp.try(c, 'extended', c.good || '\x00'::bytea);
		PERFORM pg_temp.try(c, 'doubled', c.good || c.good);
		FOR i IN 1 .. 200 LOOP
			b := decode(substr(md5(random()::text) || md5(random()::text), 1, 2 * floor(random() * 32)::int), 'hex');
			PERFORM pg_temp.try(c, 'random', b);
			PERFORM pg_temp.try(c, 'random tail', substring(c.good FROM 1 FOR floor(random() * n)::int) || b);
		END LOOP;
	END LOOP;
END $$;
