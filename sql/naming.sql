-- The 0.3.0 renames (CONTRIBUTING.md, naming convention): the new names
-- answer, the old names are deprecated aliases on the same C functions and
-- give the same answers, and the catalog says so.
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';

CREATE TABLE naming_changes (customer text, stage journey_stage, at timestamptz);
-- customer a, out of time order, with a NULL row: wooing 01-01,
-- selling 01-11, wooing 01-15 (a regression), selling 01-20, honeymoon 02-01
INSERT INTO naming_changes VALUES
	('a', 'selling',   '2026-01-11 00:00'),
	('a', 'wooing',    '2026-01-01 00:00'),
	('a', 'honeymoon', '2026-02-01 00:00'),
	('a', 'wooing',    '2026-01-15 00:00'),
	('a', NULL,        '2026-01-05 00:00'),
	('a', 'selling',   '2026-01-20 00:00');
-- customer b: selling 02-20, bonding 03-01 (never wooing)
INSERT INTO naming_changes VALUES
	('b', 'bonding', '2026-03-01 00:00'),
	('b', 'selling', '2026-02-20 00:00');

-- stage_timeline_agg(stage, at) builds the timeline; the old name
-- stage_timeline(stage, at) builds the same one
SELECT customer, stage_timeline_agg(stage, at) AS timeline,
       stage_timeline_agg(stage, at)::text = stage_timeline(stage, at)::text AS alias_same
FROM naming_changes GROUP BY customer ORDER BY customer;

-- reached_at(timeline, stage): when the stage was first reached.
-- a: wooing 01-01 (not 01-15), selling 01-11 (not 01-20), honeymoon 02-01;
-- b: selling 02-20, bonding 03-01; every other stage NULL.
-- entered_at, the old name, gives the same on every stage.
WITH t AS (SELECT customer, stage_timeline_agg(stage, at) AS t FROM naming_changes GROUP BY customer)
SELECT customer, s.stage, reached_at(t, s.stage) AS reached_at,
       reached_at(t, s.stage) IS NOT DISTINCT FROM entered_at(t, s.stage) AS alias_same
FROM t, journey_stages() s ORDER BY customer, s.rank;
SELECT reached_at(NULL::stage_timeline, 'wooing') AS null_timeline,
       entered_at(NULL::stage_timeline, 'wooing') AS null_timeline_alias;

-- paths: reached_at(path, label) was already there; nth_milestone(p, n) is
-- the label of step n (1-based, negative from the end), NULL outside.
-- a: visit -> cart -> visit -> buy; b: cart.  milestone_at, the old name,
-- gives the same for every n.
CREATE TABLE naming_paths AS
	SELECT customer, milestone_path_agg(label, at) AS p
	FROM (VALUES ('a', 'visit', '2026-03-02 10:05+00'::timestamptz), ('a', 'buy', '2026-03-02 10:09+00'),
	             ('a', 'visit', '2026-03-02 10:00+00'), ('a', 'cart', '2026-03-02 10:02+00'),
	             ('b', 'cart', '2026-03-02 09:00+00')) v (customer, label, at)
	GROUP BY customer;
SELECT customer, labels_only(p) AS path, reached_at(p, 'visit') AS visit_at FROM naming_paths ORDER BY customer;
SELECT customer, n, nth_milestone(p, n) AS nth_milestone,
       nth_milestone(p, n) IS NOT DISTINCT FROM milestone_at(p, n) AS alias_same
FROM naming_paths, generate_series(-5, 5) n ORDER BY customer, n;
SELECT nth_milestone(NULL, 1) AS null_path, nth_milestone('a', NULL) AS null_n,
       milestone_at(NULL, 1) AS null_path_alias;

-- the old names in a view keep working; the view shows the name it was
-- written with (an alias is an object of its own)
CREATE VIEW naming_old_names AS
	SELECT customer, entered_at(stage_timeline(stage, at), 'selling') AS selling_at
	FROM naming_changes GROUP BY customer;
SELECT * FROM naming_old_names ORDER BY customer;
SELECT pg_get_viewdef('naming_old_names'::regclass) LIKE '%entered_at(stage_timeline(%' AS view_keeps_old_names;
-- the upgrade notes' query that finds what still uses a deprecated name
-- (views, materialized views, SQL-standard function bodies)
CREATE FUNCTION naming_second(p milestone_path) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT BEGIN ATOMIC SELECT milestone_at(p, 2); END;
SELECT DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid) AS uses,
       d.refobjid::regprocedure AS deprecated_name,
       obj_description(d.refobjid, 'pg_proc') AS note
FROM pg_depend d
WHERE d.refclassid = 'pg_proc'::regclass AND d.deptype = 'n'
  AND obj_description(d.refobjid, 'pg_proc') LIKE 'deprecated alias of %'
  AND pg_describe_object(d.classid, d.objid, d.objsubid) LIKE '%naming\_%'
ORDER BY 1, 2;
DROP FUNCTION naming_second(milestone_path);
DROP VIEW naming_old_names;

-- the catalog, as \df+ shows it: each renamed object and its deprecated
-- alias, with the C function, properties and comment
SELECT p.oid::regprocedure AS object, p.prokind AS kind,
       coalesce(nullif(p.prosrc, 'aggregate_dummy'), a.aggtransfn::text) AS c_function,
       pg_get_function_arguments(p.oid) AS arguments,
       p.provolatile AS volatility, p.proisstrict AS strict, p.proparallel AS parallel,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE p.proname IN ('stage_timeline', 'stage_timeline_agg', 'entered_at', 'reached_at', 'milestone_at', 'nth_milestone')
  AND p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'cx_journey')
ORDER BY p.proname, p.oid::regprocedure::text;

-- an alias is its target in everything but the name and the comment: the
-- same C function (or the same aggregate support functions and state), the
-- same arguments, result and properties.  No row: no difference.
WITH pairs (alias, target) AS (VALUES
	('stage_timeline(journey_stage, timestamptz)'::regprocedure, 'stage_timeline_agg(journey_stage, timestamptz)'::regprocedure),
	('entered_at(stage_timeline, journey_stage)', 'reached_at(stage_timeline, journey_stage)'),
	('milestone_at(milestone_path, int4)', 'nth_milestone(milestone_path, int4)')),
described AS (
	SELECT p.oid, row(p.prosrc, p.probin, p.prokind, p.provolatile, p.proisstrict, p.proparallel, p.proleakproof,
	                  p.prosecdef, p.procost, p.prorows, p.proretset, p.prorettype, p.proargtypes, p.proargnames,
	                  a.aggtransfn, a.aggtranstype, a.aggtransspace, a.aggfinalfn, a.aggcombinefn,
	                  a.aggserialfn, a.aggdeserialfn, a.agginitval)::text AS definition
	FROM pg_proc p LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid)
SELECT alias, target, da.definition AS alias_definition, dt.definition AS target_definition
FROM pairs JOIN described da ON da.oid = alias JOIN described dt ON dt.oid = target
WHERE da.definition IS DISTINCT FROM dt.definition;

-- every deprecated alias names an object that exists and the release that
-- removes it
SELECT p.oid::regprocedure AS deprecated_alias,
       substring(obj_description(p.oid, 'pg_proc') FROM '^deprecated alias of ([a-z_]+), removed in 0\.4\.0$') AS replaced_by,
       EXISTS (SELECT FROM pg_proc q WHERE q.proname = substring(obj_description(p.oid, 'pg_proc') FROM '^deprecated alias of ([a-z_]+)')
                                       AND q.proargtypes = p.proargtypes AND q.oid <> p.oid) AS target_exists
FROM pg_proc p
WHERE p.proname IN ('stage_timeline', 'entered_at', 'milestone_at')
  AND p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'cx_journey')
ORDER BY p.proname;

-- the type's comment names the builder by its new name
SELECT obj_description('stage_timeline'::regtype, 'pg_type') AS stage_timeline_type;

DROP TABLE naming_changes, naming_paths;
