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
DO $$
DECLARE
	lit text;
	s journey_stage;
	t stage_timeline;
	p milestone_path;
	level int;
BEGIN
	FOR lit IN
		SELECT m FROM unnest(ARRAY['wooing', 'Selling/Buying', 'honeymoon/forming/storming', 'co-creation', ' leadership ']) v,
			 LATERAL pg_temp.mutations(v, 150) m
	LOOP
		BEGIN
			s := lit::journey_stage;
			IF s::text::journey_stage <> s THEN RAISE EXCEPTION 'no round trip for %', lit; END IF;
			INSERT INTO outcomes VALUES ('journey_stage', true, NULL);
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO outcomes VALUES ('journey_stage', false, SQLSTATE);
		END;
	END LOOP;
	FOR lit IN
		SELECT m FROM unnest(ARRAY['wooing@2026-01-01 -> selling@2026-02-01 10:00:00+00',
								   'bonding@2026-03-01']) v,
			 LATERAL pg_temp.mutations(v, 300) m
	LOOP
		BEGIN
			t := lit::stage_timeline;
			IF t::text::stage_timeline::text <> t::text THEN RAISE EXCEPTION 'no round trip for %', lit; END IF;
			INSERT INTO outcomes VALUES ('stage_timeline', true, NULL);
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO outcomes VALUES ('stage_timeline', false, SQLSTATE);
		END;
	END LOOP;
	FOR lit IN
		SELECT m FROM unnest(ARRAY['strict_order,strict_deduplication', 'first_entry, strict_increase']) v,
			 LATERAL pg_temp.mutations(v, 300) m
	LOOP
		BEGIN
			SELECT window_funnel(interval '1 hour', lit, ts, true, true) INTO level
			FROM (VALUES (timestamptz '2026-01-01'), ('2026-01-01 00:10')) x(ts);
			INSERT INTO outcomes VALUES ('funnel mode', true, NULL);
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO outcomes VALUES ('funnel mode', false, SQLSTATE);
		END;
	END LOOP;
	FOR lit IN
		SELECT m FROM unnest(ARRAY['visit@2026-01-01 10:00+00 -> "added to cart"@2026-01-01 10:05:00+00 -> buy@2026-01-02',
								   '"a\"b" -> café -> x->y', '"x@y" -> sign-up']) v,
			 LATERAL pg_temp.mutations(v, 300) m
	LOOP
		BEGIN
			p := lit::milestone_path;
			IF p::text::milestone_path <> p THEN RAISE EXCEPTION 'no round trip for %', lit; END IF;
			INSERT INTO outcomes VALUES ('milestone_path', true, NULL);
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO outcomes VALUES ('milestone_path', false, SQLSTATE);
		END;
	END LOOP;
	FOR lit IN
		SELECT m FROM unnest(ARRAY['[{"label": "visit", "at": "2026-01-01T10:00:00+00:00"}, {"label": "caf\u00e9 \ud83d\ude00", "at": "2026-01-02"}]',
								   '[{"label": "a"}, {"label": "\"b\"", "at": null}]']) v,
			 LATERAL pg_temp.mutations(v, 400) m
	LOOP
		BEGIN
			p := milestone_path(lit::json);
			IF milestone_path(p::json) <> p THEN RAISE EXCEPTION 'no round trip for %', lit; END IF;
			INSERT INTO outcomes VALUES ('milestone_path JSON', true, NULL);
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO outcomes VALUES ('milestone_path JSON', false, SQLSTATE);
		END;
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
DROP TABLE outcomes;
