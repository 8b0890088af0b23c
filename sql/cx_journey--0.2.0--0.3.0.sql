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
-- END stage_path
