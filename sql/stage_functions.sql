-- journey_stage functions, casts and catalog hygiene
SELECT stage_rank('wooing'), stage_rank('selling'), stage_rank('honeymoon'),
       stage_rank('bonding'), stage_rank('leadership');
SELECT 1::journey_stage, 3::journey_stage, 5::journey_stage;
SELECT 'bonding'::journey_stage::int AS rank;
SELECT cast('storming' AS journey_stage)::int4 AS rank;
-- outside 1..5: 22003 with a hint
\set VERBOSITY sqlstate
SELECT 0::journey_stage;
\set VERBOSITY default
SELECT 6::journey_stage;
SELECT (-1)::journey_stage;
-- the casts are explicit only
SELECT stage_rank(2);
-- navigation, NULL past the ends
SELECT stage_next('wooing'), stage_next('bonding'), stage_next('leadership') IS NULL AS after_leadership;
SELECT stage_prev('leadership'), stage_prev('selling'), stage_prev('wooing') IS NULL AS before_wooing;
SELECT stage_next(NULL) IS NULL AS null_in_null_out;
-- walk the whole lifecycle forwards and backwards
WITH RECURSIVE walk(s) AS (
	SELECT 'wooing'::journey_stage
	UNION ALL SELECT stage_next(s) FROM walk WHERE stage_next(s) IS NOT NULL
) SELECT string_agg(s::text, ' > ') FROM walk;
WITH RECURSIVE walk(s) AS (
	SELECT 'leadership'::journey_stage
	UNION ALL SELECT stage_prev(s) FROM walk WHERE stage_prev(s) IS NOT NULL
) SELECT string_agg(s::text, ' < ') FROM walk;
-- the pick-list
SELECT * FROM journey_stages();
-- every alias listed parses back to its stage
SELECT bool_and(a::journey_stage = stage) AS aliases_parse
FROM journey_stages(), unnest(aliases) AS a;

-- catalog hygiene: every function, aggregate and type of the extension has
-- a comment, and every function is PARALLEL SAFE
SELECT p.oid::regprocedure AS function_without_comment
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_journey')
  AND obj_description(p.oid, 'pg_proc') IS NULL
ORDER BY 1;
SELECT p.oid::regprocedure AS function_not_parallel_safe
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_journey')
  AND p.proparallel <> 's'
ORDER BY 1;
SELECT t.typname AS type_without_comment
FROM pg_depend d JOIN pg_type t ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_journey')
  AND t.typtype <> 'c' AND t.typname NOT LIKE '\_%'
  AND obj_description(t.oid, 'pg_type') IS NULL;
-- and every other object of the extension (casts, operators, operator
-- classes and families) too
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS object_without_comment
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_journey')
  AND d.deptype = 'e'
  AND obj_description(d.objid, d.classid::regclass::name) IS NULL
ORDER BY 1;
-- volatility as declared: nothing VOLATILE
SELECT p.oid::regprocedure AS volatile_function
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_journey')
  AND p.provolatile = 'v';
