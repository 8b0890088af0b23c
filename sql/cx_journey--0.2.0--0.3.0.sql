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
-- A funnel state is now one allocation of the group's rows: its declared
-- size (SSPACE) is the header and the rows it holds inline,
-- FUNNEL_STATE_SPACE in src/funnel/funnel_state.h.  ALTER AGGREGATE cannot
-- change SSPACE, so the catalog is updated (this script runs as superuser).
UPDATE pg_catalog.pg_aggregate SET aggtransspace = 256
WHERE aggtransfn IN ('window_funnel_transfn'::regproc, 'window_funnel_mode_transfn'::regproc,
					 'window_funnel_event_transfn'::regproc, 'window_funnel_event_mode_transfn'::regproc);
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
-- END stage_path
