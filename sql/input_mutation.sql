-- thousands of mutated literals sent to every text input: each one is either
-- accepted and round-trips, or rejected with a documented SQLSTATE; the
-- server never restarts
SET timezone = 'UTC';
SELECT pg_postmaster_start_time() AS started \gset
SELECT setseed(0.5);
-- mutations of a valid literal: cuts, doubling, a replaced byte, insertions, huge, empty
CREATE FUNCTION pg_temp.mutations(lit text, n int) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	i int;
	p int;
	alphabet text := ' /-@>,_aAzZ09:+.é"\';
BEGIN
	RETURN NEXT lit;
	RETURN NEXT '';
	RETURN NEXT lit || lit;
	RETURN NEXT repeat(lit, 500);
	FOR i IN 1 .. length(lit) LOOP
		RETURN NEXT left(lit, i);
		RETURN NEXT right(lit, i);
	END LOOP;
	FOR i IN 1 .. n LOOP
		p := 1 + floor(random() * greatest(length(lit), 1))::int;
		RETURN NEXT overlay(lit PLACING substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1) FROM p FOR 1);
		RETURN NEXT overlay(lit PLACING substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1) FROM p FOR 0);
		RETURN NEXT overlay(lit PLACING '' FROM p FOR 1 + floor(random() * 3)::int);
	END LOOP;
END $$;
CREATE TABLE outcomes (kind text, accepted bool, sqlstate text);
-- each input: its valid literals, how many random mutations of each, and a
-- check ($1 = the literal) that is true when the value round-trips
CREATE TABLE inputs (id serial, kind text, literals text[], mutations int, round_trip text);
INSERT INTO inputs (kind, literals, mutations, round_trip) VALUES
	('journey_stage', ARRAY['wooing', 'Selling/Buying', 'honeymoon/forming/storming', 'co-creation', ' leadership '], 150,
	 '$1::journey_stage::text::journey_stage = $1::journey_stage'),
	('stage_timeline', ARRAY['wooing@2026-01-01 -> selling@2026-02-01 10:00:00+00', 'bonding@2026-03-01'], 300,
	 '$1::stage_timeline::text::stage_timeline::text = $1::stage_timeline::text'),
	('funnel mode', ARRAY['strict_order,strict_deduplication', 'first_entry, strict_increase'], 300,
	 '(SELECT window_funnel(interval ''1 hour'', $1, ts, true, true) IS NOT NULL
	   FROM (VALUES (timestamptz ''2026-01-01''), (''2026-01-01 00:10'')) x(ts))'),
	('milestone_path', ARRAY['visit@2026-01-01 10:00+00 -> "added to cart"@2026-01-01 10:05:00+00 -> buy@2026-01-02',
							 '"a\"b" -> café -> x->y', '"x@y" -> sign-up'], 300,
	 '$1::milestone_path::text::milestone_path = $1::milestone_path'),
	('milestone_path JSON', ARRAY['[{"label": "visit", "at": "2026-01-01T10:00:00+00:00"}, {"label": "caf\u00e9 \ud83d\ude00", "at": "2026-01-02"}]',
								  '[{"label": "a"}, {"label": "\"b\"", "at": null}]'], 400,
	 'milestone_path(milestone_path($1::json)::json) = milestone_path($1::json)');
DO $$
DECLARE
	input inputs;
	lit text;
	same bool;
BEGIN
	FOR input IN SELECT * FROM inputs ORDER BY id LOOP
		FOR lit IN
			SELECT m FROM unnest(input.literals) v, LATERAL pg_temp.mutations(v, input.mutations) m
		LOOP
			BEGIN
				EXECUTE 'SELECT ' || input.round_trip INTO same USING lit;
				IF NOT same THEN RAISE EXCEPTION 'no round trip for %', lit; END IF;
				INSERT INTO outcomes VALUES (input.kind, true, NULL);
			EXCEPTION WHEN OTHERS THEN
				INSERT INTO outcomes VALUES (input.kind, false, SQLSTATE);
			END;
		END LOOP;
	END LOOP;
END $$;
-- every rejection has a documented SQLSTATE: 22P02 bad literal, 22007/22008
-- 22009 bad time (PostgreSQL's own timestamp input), 22023 infinite time or bad
-- mode, 54000 past a limit
SELECT kind, count(*) >= 500 AS many_inputs,
	   count(*) FILTER (WHERE accepted) > 0 AS some_accepted,
	   count(*) FILTER (WHERE NOT accepted) > 0 AS some_rejected,
	   coalesce(string_agg(DISTINCT sqlstate, ',' ORDER BY sqlstate)
				FILTER (WHERE sqlstate NOT IN ('22P02', '22007', '22008', '22009', '22023', '54000')), 'none') AS undocumented_sqlstates
FROM outcomes GROUP BY kind ORDER BY kind;
SELECT pg_postmaster_start_time() = :'started' AS server_never_restarted;
DROP TABLE outcomes, inputs;
