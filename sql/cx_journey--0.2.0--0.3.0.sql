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
