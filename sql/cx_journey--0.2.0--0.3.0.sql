/* cx_journey upgrade script, 0.2.0 to 0.3.0: one naming convention, plain aggregate states, ClickHouse's funnel modes */

\echo Use "ALTER EXTENSION cx_journey UPDATE TO '0.3.0'" to load this file. \quit

/*
 * Each section below belongs to one concern.  Edit only your own section, in
 * place; keep the markers.  A fresh install runs 0.1.0, 0.1.0--0.2.0 and this
 * script, so whatever is written here is what every database ends up with.
 */

/* ------------------------------------------------------------------------
 * Naming convention (CONTRIBUTING.md): renames, with the old names kept for
 * one release as deprecated aliases on the same C functions.
 * ------------------------------------------------------------------------ */
-- BEGIN naming
/*
 * Each rename keeps the object (its OID) under the new name, so the views,
 * rules and materialized views that use it keep working through the upgrade
 * and are dumped with the new name from then on.  The old name comes back as
 * a new object on the same C function with the same properties, its comment
 * saying it is deprecated, so that SQL written for 0.2.0 and the pg_dump of a
 * 0.2.0 database keep working for one release.  0.4.0 drops these aliases.
 */

-- Builders are T_agg: stage_timeline(stage, at) -> stage_timeline_agg(stage, at)
ALTER AGGREGATE stage_timeline(journey_stage, timestamptz) RENAME TO stage_timeline_agg;
CREATE AGGREGATE stage_timeline(stage journey_stage, at timestamptz) (
	SFUNC = stage_timeline_transfn,
	STYPE = internal,
	FINALFUNC = stage_timeline_finalfn,
	COMBINEFUNC = stage_timeline_combinefn,
	SERIALFUNC = stage_timeline_serialize,
	DESERIALFUNC = stage_timeline_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE stage_timeline(journey_stage, timestamptz) IS
	'deprecated alias of stage_timeline_agg, removed in 0.4.0';
COMMENT ON TYPE stage_timeline IS
	'a customer''s stage history: time-ordered stage changes, as built by the stage_timeline_agg aggregate';
COMMENT ON FUNCTION stage_timeline_transfn(internal, journey_stage, timestamptz) IS 'stage_timeline_agg: remember one stage change';
COMMENT ON FUNCTION stage_timeline_combinefn(internal, internal) IS 'stage_timeline_agg: merge two partial states';
COMMENT ON FUNCTION stage_timeline_serialize(internal) IS 'stage_timeline_agg: partial state to bytes';
COMMENT ON FUNCTION stage_timeline_deserialize(bytea, internal) IS 'stage_timeline_agg: validated bytes to partial state';
COMMENT ON FUNCTION stage_timeline_finalfn(internal) IS 'stage_timeline_agg: sort, merge and build the timeline';

-- reached_at is "the first time X happened", for timelines as for paths:
-- entered_at(timeline, stage) -> reached_at(timeline, stage)
ALTER FUNCTION entered_at(stage_timeline, journey_stage) RENAME TO reached_at;
COMMENT ON FUNCTION reached_at(stage_timeline, journey_stage) IS 'when the stage was first reached (entered); NULL if never';
CREATE FUNCTION entered_at(stage_timeline, journey_stage) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'stage_timeline_entered_at'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entered_at(stage_timeline, journey_stage) IS
	'deprecated alias of reached_at, removed in 0.4.0';

-- _at is a time, a position is nth_: milestone_at(p, n) -> nth_milestone(p, n)
ALTER FUNCTION milestone_at(milestone_path, int4) RENAME TO nth_milestone;
CREATE FUNCTION milestone_at(milestone_path, int4) RETURNS text
	AS 'MODULE_PATHNAME', 'milestone_path_milestone_at'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_at(milestone_path, int4) IS
	'deprecated alias of nth_milestone, removed in 0.4.0';
-- END naming

/* ------------------------------------------------------------------------
 * Funnels: plain per-group states; declared state sizes
 * ------------------------------------------------------------------------ */
-- BEGIN funnel
-- END funnel

/* ------------------------------------------------------------------------
 * Funnel modes as ClickHouse defines them
 * ------------------------------------------------------------------------ */
-- BEGIN funnel_modes
-- The rules of strict_order and strict_deduplication live in the shared
-- library (they changed with it, see doc/funnel_modes.md); here only the mode
-- list of the comment grows.
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC "any") IS
	'window_funnel(window, mode, ts, step1, ...): furthest step with modes strict_order, strict_deduplication, strict_increase, first_entry, strict_once, allow_reentry';
-- END funnel_modes

/* ------------------------------------------------------------------------
 * Sessions: session_stats takes session_id's caps
 * ------------------------------------------------------------------------ */
-- BEGIN session
-- END session

/* ------------------------------------------------------------------------
 * Stage timelines and milestone paths
 * ------------------------------------------------------------------------ */
-- BEGIN stage_path
-- Declared state sizes (CONTRIBUTING.md rule 8): SSPACE is the fixed state of
-- one group plus the rows it holds inline.  A group of milestone_path_agg
-- starts at 153 bytes (0.2.0 declared 256 while it started at about 600),
-- one of the stage timeline aggregate at 80 (undeclared before).  ALTER
-- AGGREGATE cannot change SSPACE, so the catalog is updated directly; by
-- transition function, so the aggregates' new names (section naming) get
-- the same size.
UPDATE pg_catalog.pg_aggregate SET aggtransspace = 153
	WHERE aggtransfn = 'milestone_path_agg_transfn(internal, text, timestamptz)'::pg_catalog.regprocedure;
UPDATE pg_catalog.pg_aggregate SET aggtransspace = 80
	WHERE aggtransfn = 'stage_timeline_transfn(internal, journey_stage, timestamptz)'::pg_catalog.regprocedure;
-- END stage_path
