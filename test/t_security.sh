# Install safety (sourced by test/run).

# A hostile role that may create objects in public and in the target schema
# plants look-alikes of what the install scripts refer to (a btree support
# function, types, functions of the extension's own names).  Installing with
# that schema and public on the search_path must bind nothing of theirs:
# every function, type and operator the extension's objects use is
# PostgreSQL's own or the extension's, and none of the plants ever runs.
check_hostile_search_path() {
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_hostile" -c "CREATE DATABASE cx_hostile" >/dev/null 2>&1
	local status=0
	cx_psql -d cx_hostile <<'SQL' || status=$?
SET client_min_messages = warning;
DROP ROLE IF EXISTS cx_hostile_role;
CREATE ROLE cx_hostile_role;
CREATE SCHEMA analytics;
GRANT CREATE, USAGE ON SCHEMA analytics, public TO cx_hostile_role;
CREATE TABLE public.plant_calls (what text);
GRANT INSERT, SELECT ON public.plant_calls TO PUBLIC;
SET ROLE cx_hostile_role;
-- plants in both schemas: they record any call
CREATE FUNCTION public.btint4cmp(int4, int4) RETURNS int4 LANGUAGE plpgsql AS
	$$BEGIN INSERT INTO public.plant_calls VALUES ('public.btint4cmp'); RETURN 0; END$$;
CREATE FUNCTION analytics.btint4cmp(int4, int4) RETURNS int4 LANGUAGE plpgsql AS
	$$BEGIN INSERT INTO public.plant_calls VALUES ('analytics.btint4cmp'); RETURN 0; END$$;
CREATE FUNCTION public.length(text) RETURNS int4 LANGUAGE plpgsql AS
	$$BEGIN INSERT INTO public.plant_calls VALUES ('public.length'); RETURN 0; END$$;
CREATE FUNCTION public.hash_array(anyarray) RETURNS int4 LANGUAGE plpgsql AS
	$$BEGIN INSERT INTO public.plant_calls VALUES ('public.hash_array'); RETURN 0; END$$;
CREATE TYPE public.int4 AS (planted bool);
CREATE TYPE analytics.text AS (planted bool);
CREATE TYPE public.timestamptz AS (planted bool);
CREATE DOMAIN analytics.interval AS pg_catalog.int8;
RESET ROLE;
SET search_path = analytics, public;
CREATE EXTENSION cx_journey SCHEMA analytics;
-- use the operator classes, the aggregates and the casts
CREATE TABLE t (p milestone_path);
INSERT INTO t SELECT milestone_path_agg('m' || (i % 5), timestamptz '2026-01-01' + i * interval '1 hour')
FROM generate_series(1, 50) i GROUP BY i % 7;
CREATE INDEX ON t USING gin (p);
CREATE INDEX ON t (p);
SET enable_seqscan = off;
DO $$
BEGIN
	IF (SELECT count(*) FROM t WHERE p @> 'm1 -> m2') = 0
		OR (SELECT window_funnel(interval '1 day', ts, true, true) FROM (VALUES (now()), (now())) v(ts)) <> 2
		OR 'selling'::journey_stage::int4 <> 2 THEN
		RAISE EXCEPTION 'wrong answer';
	END IF;
END $$;
-- nothing the extension uses belongs to the hostile role
CREATE TEMP TABLE bound AS
	SELECT 'operator ' || o.oid::regoperator AS what, unnest(ARRAY[o.oprcode::oid, o.oprrest::oid, o.oprjoin::oid]) AS fn, NULL::oid AS typ
	FROM pg_operator o WHERE o.oprnamespace = 'analytics'::regnamespace
	UNION ALL
	SELECT 'support of ' || ap.amprocfamily, ap.amproc, NULL FROM pg_amproc ap JOIN pg_opfamily f ON f.oid = ap.amprocfamily
	WHERE f.opfnamespace = 'analytics'::regnamespace
	UNION ALL
	SELECT 'aggregate ' || a.aggfnoid, unnest(ARRAY[a.aggtransfn::oid, a.aggfinalfn::oid, a.aggcombinefn::oid,
		a.aggserialfn::oid, a.aggdeserialfn::oid]), a.aggtranstype
	FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid WHERE p.pronamespace = 'analytics'::regnamespace
	UNION ALL
	SELECT 'function ' || p.oid::regprocedure, NULL, unnest(p.proargtypes::oid[] || p.prorettype)
	FROM pg_proc p WHERE p.pronamespace = 'analytics'::regnamespace
	UNION ALL
	SELECT 'cast ' || c.castsource::regtype || ' -> ' || c.casttarget::regtype, c.castfunc, c.castsource
	FROM pg_cast c WHERE c.oid IN (SELECT objid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND classid = 'pg_cast'::regclass);
SELECT what, fn::regprocedure, typ::regtype FROM bound
WHERE fn IN (SELECT oid FROM pg_proc WHERE proowner = 'cx_hostile_role'::regrole)
	OR typ IN (SELECT oid FROM pg_type WHERE typowner = 'cx_hostile_role'::regrole);
DO $$
BEGIN
	IF EXISTS (SELECT FROM bound WHERE fn IN (SELECT oid FROM pg_proc WHERE proowner = 'cx_hostile_role'::regrole)
			   OR typ IN (SELECT oid FROM pg_type WHERE typowner = 'cx_hostile_role'::regrole)) THEN
		RAISE EXCEPTION 'the extension bound an object of the hostile role';
	END IF;
	IF (SELECT count(*) FROM bound) < 300 THEN
		RAISE EXCEPTION 'too few bindings checked: %', (SELECT count(*) FROM bound);
	END IF;
	IF EXISTS (SELECT FROM public.plant_calls) THEN
		RAISE EXCEPTION 'a planted function ran: %', (SELECT string_agg(what, ', ') FROM public.plant_calls);
	END IF;
END $$;
SQL
	cx_psql -d postgres -c "DROP DATABASE cx_hostile" -c "DROP ROLE cx_hostile_role" >/dev/null
	return $status
}
cx_check "security/hostile-search-path" check_hostile_search_path

# The extension is trusted (see README): a role that may create in the
# database, without being superuser, installs it, uses it and drops it.
check_trusted_install() {
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_trusted" -c "DROP ROLE IF EXISTS cx_analyst" \
		-c "CREATE ROLE cx_analyst LOGIN" -c "CREATE DATABASE cx_trusted OWNER cx_analyst" >/dev/null 2>&1
	local status=0
	cx_psql -d cx_trusted -U cx_analyst <<'SQL' || status=$?
CREATE EXTENSION cx_journey;
SELECT current_stage(stage_timeline(s, t)) FROM (VALUES ('wooing'::journey_stage, now())) v(s, t);
SELECT 'a -> b'::milestone_path @> 'b';
DROP EXTENSION cx_journey;
SQL
	cx_psql -d postgres -c "DROP DATABASE cx_trusted" -c "DROP ROLE cx_analyst" >/dev/null
	return $status
}
cx_check "security/trusted-install-by-non-superuser" check_trusted_install
