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
 * Funnel modes as ClickHouse defines them
 * ------------------------------------------------------------------------ */
-- BEGIN funnel_modes
-- The rules of strict_order and strict_deduplication live in the shared
-- library (they changed with it, see doc/reference.md, Funnel modes); here only the mode
-- list of the comment grows.
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC "any") IS
	'window_funnel(window, mode, ts, step1, ...): furthest step with modes strict_order, strict_deduplication, strict_increase, first_entry, strict_once, allow_reentry';
-- END funnel_modes

/* ------------------------------------------------------------------------
 * Sessions: session_stats takes session_id's caps
 * ------------------------------------------------------------------------ */
-- BEGIN session
/*
 * The summary's longest session is longest_duration (one word per idea: a
 * cap is max_duration).  max_duration stays one release as a deprecated
 * column holding the same value, so that saved SQL and dumps of 0.2.0 views
 * reading (s).max_duration keep working; removed in 0.4.0.
 */
ALTER TYPE session_summary RENAME ATTRIBUTE max_duration TO longest_duration;
ALTER TYPE session_summary ADD ATTRIBUTE max_duration interval;
COMMENT ON TYPE session_summary IS
	'result of session_stats: sessions (their number), avg_duration and longest_duration (first to last row), avg_events (rows per session); max_duration is a deprecated alias of longest_duration, removed in 0.4.0';
COMMENT ON COLUMN session_summary.longest_duration IS 'the longest session, from its first to its last row';
COMMENT ON COLUMN session_summary.max_duration IS 'deprecated alias of longest_duration (same value), removed in 0.4.0';

/*
 * session_stats(gap, ts) and session_stats(gap, ts, max_duration,
 * max_events): the per-query parameter first, session_id's caps as trailing
 * overloads.  One C transition function serves every form (it tells the
 * 0.2.0 order (ts, gap) from the type of its first argument).  SSPACE: the
 * 32-byte fixed state and the 28 timestamps it holds inline.
 */
CREATE FUNCTION session_stats_transfn(internal, interval, timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_stats_transfn(internal, interval, timestamp)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_stats_transfn(internal, interval, timestamptz, interval, int4)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_stats_transfn(internal, interval, timestamp, interval, int4)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION session_stats_transfn(internal, interval, timestamptz) IS 'session_stats: remember one timestamp';
COMMENT ON FUNCTION session_stats_transfn(internal, interval, timestamp) IS 'session_stats: remember one timestamp';
COMMENT ON FUNCTION session_stats_transfn(internal, interval, timestamptz, interval, int4) IS
	'session_stats with caps: remember one timestamp';
COMMENT ON FUNCTION session_stats_transfn(internal, interval, timestamp, interval, int4) IS
	'session_stats with caps: remember one timestamp';
COMMENT ON FUNCTION session_stats_transfn(internal, timestamptz, interval) IS
	'deprecated session_stats(ts, gap): remember one timestamp';
COMMENT ON FUNCTION session_stats_transfn(internal, timestamp, interval) IS
	'deprecated session_stats(ts, gap): remember one timestamp';

CREATE AGGREGATE session_stats(gap interval, ts timestamptz) (
	SFUNC = session_stats_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = session_stats_finalfn,
	COMBINEFUNC = session_stats_combinefn,
	SERIALFUNC = session_stats_serialize, DESERIALFUNC = session_stats_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE session_stats(gap interval, ts timestamp) (
	SFUNC = session_stats_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = session_stats_finalfn,
	COMBINEFUNC = session_stats_combinefn,
	SERIALFUNC = session_stats_serialize, DESERIALFUNC = session_stats_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE session_stats(gap interval, ts timestamptz, max_duration interval, max_events int4) (
	SFUNC = session_stats_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = session_stats_finalfn,
	COMBINEFUNC = session_stats_combinefn,
	SERIALFUNC = session_stats_serialize, DESERIALFUNC = session_stats_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE session_stats(gap interval, ts timestamp, max_duration interval, max_events int4) (
	SFUNC = session_stats_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = session_stats_finalfn,
	COMBINEFUNC = session_stats_combinefn,
	SERIALFUNC = session_stats_serialize, DESERIALFUNC = session_stats_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE session_stats(interval, timestamptz) IS
	'per-customer session summary (sessions, avg_duration, longest_duration, avg_events): a new session when the time since the previous row is strictly greater than gap, as session_id; rows in any order';
COMMENT ON AGGREGATE session_stats(interval, timestamp) IS
	'per-customer session summary (timestamp without time zone)';
COMMENT ON AGGREGATE session_stats(interval, timestamptz, interval, int4) IS
	'per-customer session summary with session_id''s caps: a new session also when it would last longer than max_duration or already has max_events rows (NULL: no cap)';
COMMENT ON AGGREGATE session_stats(interval, timestamp, interval, int4) IS
	'per-customer session summary with session_id''s caps (timestamp without time zone)';
COMMENT ON AGGREGATE session_stats(timestamptz, interval) IS
	'deprecated alias of session_stats(gap, ts) (the 0.2.0 argument order), removed in 0.4.0';
COMMENT ON AGGREGATE session_stats(timestamp, interval) IS
	'deprecated alias of session_stats(gap, ts) (the 0.2.0 argument order, timestamp without time zone), removed in 0.4.0';

COMMENT ON FUNCTION session_id(timestamptz, interval, interval, int4, bool) IS
	'window function: 1-based session number; a new session when the time since the previous row is strictly greater than gap, or past max_duration / max_events (NULL: no cap), or at a boundary row; needs ORDER BY ts';
-- END session

/*
 * Paths as the unit of analysis (issue 15): the analyses as functions of a
 * stored milestone_path, the growth map, and building paths.
 */
-- BEGIN path_funnel
-- The funnel analyses over a stored path: the path first, then the
-- aggregate's other arguments in its order.  Each answers what its aggregate
-- (event form) answers over the rows the path was built from, through the
-- same evaluator.  Not STRICT: as in the aggregates, a NULL window, mode or
-- steps array is an error; a NULL path gives NULL.
CREATE FUNCTION window_funnel(p milestone_path, "window" interval, steps text[]) RETURNS int4
	AS 'MODULE_PATHNAME', 'milestone_path_window_funnel'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel(p milestone_path, "window" interval, mode text, steps text[]) RETURNS int4
	AS 'MODULE_PATHNAME', 'milestone_path_window_funnel'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_times(p milestone_path, "window" interval, steps text[]) RETURNS timestamptz[]
	AS 'MODULE_PATHNAME', 'milestone_path_window_funnel_times'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_times(p milestone_path, "window" interval, mode text, steps text[]) RETURNS timestamptz[]
	AS 'MODULE_PATHNAME', 'milestone_path_window_funnel_times'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_to_convert(p milestone_path, "window" interval, steps text[]) RETURNS interval
	AS 'MODULE_PATHNAME', 'milestone_path_time_to_convert'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_to_convert(p milestone_path, "window" interval, mode text, steps text[]) RETURNS interval
	AS 'MODULE_PATHNAME', 'milestone_path_time_to_convert'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention(p milestone_path, steps text[]) RETURNS bool[]
	AS 'MODULE_PATHNAME', 'milestone_path_retention'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION window_funnel(milestone_path, interval, text[]) IS
	'window_funnel(window, ts, event, steps) of the path''s steps: the furthest step reached within the window; NULL for a NULL path; 22023 for a path without times';
COMMENT ON FUNCTION window_funnel(milestone_path, interval, text, text[]) IS
	'window_funnel(window, mode, ts, event, steps) of the path''s steps: the furthest step, with modes; NULL for a NULL path; 22023 for a path without times';
COMMENT ON FUNCTION window_funnel_times(milestone_path, interval, text[]) IS
	'window_funnel_times(window, ts, event, steps) of the path''s steps: when each step of the chosen chain was reached; NULL for a NULL path; 22023 for a path without times';
COMMENT ON FUNCTION window_funnel_times(milestone_path, interval, text, text[]) IS
	'window_funnel_times(window, mode, ts, event, steps) of the path''s steps: when each step was reached, with modes; NULL for a NULL path; 22023 for a path without times';
COMMENT ON FUNCTION time_to_convert(milestone_path, interval, text[]) IS
	'time_to_convert(window, ts, event, steps) of the path''s steps: last minus first step when every step was reached; NULL for a NULL path; 22023 for a path without times';
COMMENT ON FUNCTION time_to_convert(milestone_path, interval, text, text[]) IS
	'time_to_convert(window, mode, ts, event, steps) of the path''s steps, with modes; NULL for a NULL path; 22023 for a path without times';
COMMENT ON FUNCTION retention(milestone_path, text[]) IS
	'retention(label = steps[1], label = steps[2], ...) of the path''s steps: element 1 = steps[1] occurs, element i = steps[1] and steps[i] both occur; at most 63 steps; times not needed';
-- END path_funnel

-- BEGIN path_session
-- session_stats over a stored path: the aggregate's summary of the path's
-- times, with its options and errors.  Not STRICT: as in the aggregate, a
-- NULL cap means no cap and a NULL gap is an error; a NULL path gives NULL.
CREATE FUNCTION session_stats(p milestone_path, gap interval) RETURNS session_summary
	AS 'MODULE_PATHNAME', 'milestone_path_session_stats'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_stats(p milestone_path, gap interval, max_duration interval, max_events int4)
	RETURNS session_summary
	AS 'MODULE_PATHNAME', 'milestone_path_session_stats'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION session_stats(milestone_path, interval) IS
	'session_stats(gap, ts) of the path''s times: the same sessions and summary; NULL for a NULL or empty path; 22023 for a path without times';
COMMENT ON FUNCTION session_stats(milestone_path, interval, interval, int4) IS
	'session_stats(gap, ts, max_duration, max_events) of the path''s times (NULL cap: no cap); NULL for a NULL or empty path; 22023 for a path without times';

-- The growth map: a business's milestones in order, numbered from 1.  Not
-- STRICT, so that a NULL map raises 22023; a NULL path gives no rows / NULL.
CREATE FUNCTION milestone_status(p milestone_path, growth_map text[])
	RETURNS TABLE (milestone int4, label text, reached bool, reached_at timestamptz)
	AS 'MODULE_PATHNAME', 'milestone_status'
	LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION milestone_status(milestone_path, text[]) IS
	'one row per growth-map entry, in map order: its number, label, whether the path contains it, and when it was first reached (NULL if never or without times)';
CREATE FUNCTION milestone_level(p milestone_path, growth_map text[]) RETURNS int4
	AS 'MODULE_PATHNAME', 'milestone_level'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION milestone_level(milestone_path, text[]) IS
	'the highest growth-map number whose label the path contains; 0 if none';
-- END path_session

-- BEGIN path_refresh
-- No objects: keeping stored paths current is a SQL pattern the user
-- copies (README "Storing paths", doc/paths.md; tested in sql/path_refresh.sql
-- and test/t_path_refresh.sh), since it names the user's own tables.
-- END path_refresh

-- BEGIN sequence
-- Sequence patterns (issue 16, doc/sequences.md): sequence_match,
-- sequence_count, sequence_match_events over raw rows in the two forms of
-- window_funnel (conditions, or an event and a steps array), the same
-- over a stored path, and the step after (sequence_next) or before
-- (sequence_previous) the chosen match.  The aggregates' transition
-- functions are not STRICT: a NULL pattern or steps array is an error, a
-- NULL time skips the row, a NULL condition is false.
CREATE FUNCTION sequence_transfn(internal, text, timestamptz, VARIADIC "any")
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_event_transfn(internal, text, timestamptz, text, text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_next_transfn(internal, text, timestamptz, text, text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_combinefn(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sequence_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sequence_match_finalfn(internal)
	RETURNS bool AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_count_finalfn(internal)
	RETURNS int8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_events_finalfn(internal)
	RETURNS timestamptz[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_next_finalfn(internal)
	RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_previous_finalfn(internal)
	RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sequence_transfn(internal, text, timestamptz, VARIADIC "any") IS
	'sequence aggregates: remember the time and matched conditions of one row';
COMMENT ON FUNCTION sequence_event_transfn(internal, text, timestamptz, text, text[]) IS
	'sequence aggregates, event form: remember the time and matched steps of one row';
COMMENT ON FUNCTION sequence_next_transfn(internal, text, timestamptz, text, text[]) IS
	'sequence_next and sequence_previous: remember the time, matched steps and event of every row';
COMMENT ON FUNCTION sequence_combinefn(internal, internal) IS 'sequence aggregates: merge two partial states';
COMMENT ON FUNCTION sequence_serialize(internal) IS 'sequence aggregates: partial state to bytes';
COMMENT ON FUNCTION sequence_deserialize(bytea, internal) IS 'sequence aggregates: validated bytes to partial state';
COMMENT ON FUNCTION sequence_match_finalfn(internal) IS 'sequence_match: whether the rows match the pattern';
COMMENT ON FUNCTION sequence_count_finalfn(internal) IS 'sequence_count: the number of non-overlapping matches';
COMMENT ON FUNCTION sequence_match_events_finalfn(internal) IS 'sequence_match_events: the times of the chosen match''s (?N) events';
COMMENT ON FUNCTION sequence_next_finalfn(internal) IS 'sequence_next: the event right after the chosen match';
COMMENT ON FUNCTION sequence_previous_finalfn(internal) IS 'sequence_previous: the event right before the chosen match';

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, VARIADIC conditions "any") (
	SFUNC = sequence_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = sequence_match_finalfn,
	COMBINEFUNC = sequence_combinefn,
	SERIALFUNC = sequence_serialize, DESERIALFUNC = sequence_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, event text, steps text[]) (
	SFUNC = sequence_event_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = sequence_match_finalfn,
	COMBINEFUNC = sequence_combinefn,
	SERIALFUNC = sequence_serialize, DESERIALFUNC = sequence_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, VARIADIC conditions "any") (
	SFUNC = sequence_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = sequence_count_finalfn,
	COMBINEFUNC = sequence_combinefn,
	SERIALFUNC = sequence_serialize, DESERIALFUNC = sequence_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, event text, steps text[]) (
	SFUNC = sequence_event_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = sequence_count_finalfn,
	COMBINEFUNC = sequence_combinefn,
	SERIALFUNC = sequence_serialize, DESERIALFUNC = sequence_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match_events(pattern text, ts timestamptz, VARIADIC conditions "any") (
	SFUNC = sequence_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = sequence_match_events_finalfn,
	COMBINEFUNC = sequence_combinefn,
	SERIALFUNC = sequence_serialize, DESERIALFUNC = sequence_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match_events(pattern text, ts timestamptz, event text, steps text[]) (
	SFUNC = sequence_event_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = sequence_match_events_finalfn,
	COMBINEFUNC = sequence_combinefn,
	SERIALFUNC = sequence_serialize, DESERIALFUNC = sequence_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE sequence_next(pattern text, ts timestamptz, event text, steps text[]) (
	SFUNC = sequence_next_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = sequence_next_finalfn,
	COMBINEFUNC = sequence_combinefn,
	SERIALFUNC = sequence_serialize, DESERIALFUNC = sequence_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE sequence_previous(pattern text, ts timestamptz, event text, steps text[]) (
	SFUNC = sequence_next_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = sequence_previous_finalfn,
	COMBINEFUNC = sequence_combinefn,
	SERIALFUNC = sequence_serialize, DESERIALFUNC = sequence_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sequence_match(text, timestamptz, VARIADIC "any") IS
	'sequence_match(pattern, ts, cond1, ...): whether the rows contain the pattern ((?N) = condition N; rows matching no condition are invisible; ties in canonical order)';
COMMENT ON AGGREGATE sequence_match(text, timestamptz, text, text[]) IS
	'sequence_match(pattern, ts, event, steps): whether the rows contain the pattern ((?N) = the event equals steps[N])';
COMMENT ON AGGREGATE sequence_count(text, timestamptz, VARIADIC "any") IS
	'sequence_count(pattern, ts, cond1, ...): the number of non-overlapping matches, each search restarting after the last match''s last event';
COMMENT ON AGGREGATE sequence_count(text, timestamptz, text, text[]) IS
	'sequence_count(pattern, ts, event, steps): the number of non-overlapping matches';
COMMENT ON AGGREGATE sequence_match_events(text, timestamptz, VARIADIC "any") IS
	'sequence_match_events(pattern, ts, cond1, ...): the times of the events the (?N) atoms consumed in the chosen match (earliest start, then earliest events); NULL when nothing matches';
COMMENT ON AGGREGATE sequence_match_events(text, timestamptz, text, text[]) IS
	'sequence_match_events(pattern, ts, event, steps): the times of the chosen match''s (?N) events; NULL when nothing matches';
COMMENT ON AGGREGATE sequence_next(text, timestamptz, text, text[]) IS
	'sequence_next(pattern, ts, event, steps): the event at the first instant strictly after the chosen match''s last event (smallest in bytes on ties); NULL when nothing matches or follows';
COMMENT ON AGGREGATE sequence_previous(text, timestamptz, text, text[]) IS
	'sequence_previous(pattern, ts, event, steps): the event at the last instant strictly before the chosen match''s first event (smallest in bytes on ties); NULL when nothing matches or precedes';

-- Over a stored path: the path first, then the aggregate's pattern and
-- steps.  Not STRICT: a NULL pattern or steps array is an error, a NULL
-- path gives NULL.
CREATE FUNCTION sequence_match(p milestone_path, pattern text, steps text[]) RETURNS bool
	AS 'MODULE_PATHNAME', 'milestone_path_sequence_match'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_count(p milestone_path, pattern text, steps text[]) RETURNS int8
	AS 'MODULE_PATHNAME', 'milestone_path_sequence_count'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_events(p milestone_path, pattern text, steps text[]) RETURNS timestamptz[]
	AS 'MODULE_PATHNAME', 'milestone_path_sequence_match_events'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_next(p milestone_path, pattern text, steps text[]) RETURNS text
	AS 'MODULE_PATHNAME', 'milestone_path_sequence_next'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_previous(p milestone_path, pattern text, steps text[]) RETURNS text
	AS 'MODULE_PATHNAME', 'milestone_path_sequence_previous'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sequence_match(milestone_path, text, text[]) IS
	'sequence_match(pattern, ts, event, steps) of the path''s steps; NULL for a NULL path; 22023 for a path without times';
COMMENT ON FUNCTION sequence_count(milestone_path, text, text[]) IS
	'sequence_count(pattern, ts, event, steps) of the path''s steps; NULL for a NULL path; 22023 for a path without times';
COMMENT ON FUNCTION sequence_match_events(milestone_path, text, text[]) IS
	'sequence_match_events(pattern, ts, event, steps) of the path''s steps; NULL for a NULL path or no match';
COMMENT ON FUNCTION sequence_next(milestone_path, text, text[]) IS
	'the label of the first step strictly after the chosen match''s last event (smallest in bytes on ties); NULL for no match or nothing after';
COMMENT ON FUNCTION sequence_previous(milestone_path, text, text[]) IS
	'the label of the last step strictly before the chosen match''s first event (smallest in bytes on ties); NULL for no match or nothing before';
-- END sequence

-- BEGIN journey_model
/*
 * journey_model: transition counts of an order-k Markov chain over path
 * labels (k = 1..4, start state ^, end state $), the aggregate that fits
 * it, and the questions it answers (doc/reference.md, "journey_model").
 */
CREATE TYPE journey_model;
CREATE FUNCTION journey_model_in(cstring) RETURNS journey_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_model_out(journey_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_model_recv(internal) RETURNS journey_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_model_send(journey_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE journey_model (
	INPUT = journey_model_in,
	OUTPUT = journey_model_out,
	RECEIVE = journey_model_recv,
	SEND = journey_model_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE journey_model IS
	'transition counts of an order-k Markov chain over path labels, with a start and an end state (journey_model_agg builds it)';
COMMENT ON FUNCTION journey_model_in(cstring) IS
	'text input of journey_model: v1 k=<order> [active_after="<time>"] {(<context>) -> <next>: <count>, ...}';
COMMENT ON FUNCTION journey_model_out(journey_model) IS
	'text output of journey_model (versioned; the cut-off in UTC, the same under every DateStyle and TimeZone)';
COMMENT ON FUNCTION journey_model_recv(internal) IS 'binary input of journey_model (validated)';
COMMENT ON FUNCTION journey_model_send(journey_model) IS 'binary output of journey_model';

CREATE FUNCTION journey_model_merge(journey_model, journey_model) RETURNS journey_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_model_merge(journey_model, journey_model) IS
	'the counts of two models of the same order added (the || operator and journey_model_agg''s combine function)';
CREATE OPERATOR || (
	LEFTARG = journey_model, RIGHTARG = journey_model, FUNCTION = journey_model_merge
);
COMMENT ON OPERATOR || (journey_model, journey_model) IS
	'the counts of two models of the same order added (22023 for different orders)';

CREATE FUNCTION journey_model_agg_transfn(journey_model, milestone_path) RETURNS journey_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION journey_model_agg_transfn(journey_model, milestone_path, int4) RETURNS journey_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION journey_model_agg_transfn(journey_model, milestone_path, int4, timestamptz) RETURNS journey_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION journey_model_agg_transfn(journey_model, milestone_path) IS
	'journey_model_agg: count one path''s transitions';
COMMENT ON FUNCTION journey_model_agg_transfn(journey_model, milestone_path, int4) IS
	'journey_model_agg: count one path''s transitions';
COMMENT ON FUNCTION journey_model_agg_transfn(journey_model, milestone_path, int4, timestamptz) IS
	'journey_model_agg: count one path''s transitions';
CREATE AGGREGATE journey_model_agg(p milestone_path) (
	SFUNC = journey_model_agg_transfn, STYPE = journey_model, SSPACE = 8192,
	COMBINEFUNC = journey_model_merge, PARALLEL = SAFE
);
CREATE AGGREGATE journey_model_agg(p milestone_path, k int4) (
	SFUNC = journey_model_agg_transfn, STYPE = journey_model, SSPACE = 8192,
	COMBINEFUNC = journey_model_merge, PARALLEL = SAFE
);
CREATE AGGREGATE journey_model_agg(p milestone_path, k int4, active_after timestamptz) (
	SFUNC = journey_model_agg_transfn, STYPE = journey_model, SSPACE = 8192,
	COMBINEFUNC = journey_model_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE journey_model_agg(milestone_path) IS
	'an order-1 journey_model fitted on the paths (NULL paths skipped)';
COMMENT ON AGGREGATE journey_model_agg(milestone_path, int4) IS
	'an order-k journey_model (k = 1..4) fitted on the paths (NULL paths skipped)';
COMMENT ON AGGREGATE journey_model_agg(milestone_path, int4, timestamptz) IS
	'an order-k journey_model; a path whose last step is after active_after gets no transition to the end';

CREATE FUNCTION predict_next(m journey_model, p milestone_path, n int4 DEFAULT 3, min_support int8 DEFAULT 5)
	RETURNS TABLE(label text, probability float8, support int8)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION predict_next(journey_model, milestone_path, int4, int8) IS
	'the n most likely next labels after the path (NULL: the end), backing off to shorter contexts seen fewer than min_support times';
CREATE FUNCTION reach_probability(m journey_model, p milestone_path, target text, min_support int8 DEFAULT 5)
	RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reach_probability(journey_model, milestone_path, text, int8) IS
	'the probability that a later step of the path is target before it ends (solved exactly; 0 for an unknown label)';
CREATE FUNCTION removal_effects(m journey_model, target text)
	RETURNS TABLE(label text, removal_effect float8, share float8)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION removal_effects(journey_model, text) IS
	'per label, the share of P(reach target) lost when transitions into it end the path (data-driven attribution)';
CREATE FUNCTION journey_transitions(m journey_model)
	RETURNS TABLE(context text[], next text, transitions int8, probability float8)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_transitions(journey_model) IS
	'the model as rows: context (NULL element: the start), next (NULL: the end), count and probability';
CREATE FUNCTION path_edges(p milestone_path, max_steps int4 DEFAULT 5, start_label text DEFAULT NULL)
	RETURNS TABLE(step int4, source text, target text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION path_edges(milestone_path, int4, text) IS
	'the path''s first max_steps transitions (from start_label''s first step when given) as (step, source, target) rows for flow charts';
-- END journey_model

-- BEGIN attribution
-- attribution: the credit each touch of a path earns for one conversion
-- (doc/reference.md, Attribution).  Not STRICT: a NULL path gives the
-- unattributed row, a NULL conversion time no rows, a NULL value 22004 and
-- a NULL model, lookback or half-life 22023.
CREATE FUNCTION attribution(touches milestone_path, converted_at timestamptz,
		value numeric DEFAULT 1, model text DEFAULT 'linear',
		lookback interval DEFAULT '30 days', half_life interval DEFAULT '7 days',
		direct text DEFAULT NULL)
	RETURNS TABLE (touch text, touch_at timestamptz, credit numeric)
	AS 'MODULE_PATHNAME', 'attribution'
	LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION attribution(milestone_path, timestamptz, numeric, text, interval, interval, text) IS
	'the credit each eligible touch earns for one conversion under model (first_touch, last_touch, last_non_direct, linear, position_based, position_based(f,m,l), time_decay, participation); additive models sum to value exactly; no eligible touch: one row with a NULL touch';
-- END attribution

-- BEGIN funnel_options
/*
 * funnel(): window_funnel's chains with exclusions, any_order and a
 * breakdown by a property, answering a funnel_result (doc/reference.md,
 * "Funnel options").
 */
CREATE TYPE funnel_result AS (reached int4, excluded bool, step_at timestamptz[], breakdown text);
COMMENT ON TYPE funnel_result IS
	'answer of funnel(): furthest step reached (NULL when excluded), whether an exclusion disqualified the customer, the winning chain''s step times, the breakdown value';

CREATE FUNCTION funnel_options_transfn(internal, interval, timestamptz, text, text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_options_transfn(internal, interval, timestamptz, text, text[], text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_options_transfn(internal, interval, timestamptz, text, text[], text, text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_options_finalfn(internal) RETURNS funnel_result
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_options_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_options_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_options_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION funnel_options_transfn(internal, interval, timestamptz, text, text[]) IS
	'funnel: remember the time and matched steps of one row';
COMMENT ON FUNCTION funnel_options_transfn(internal, interval, timestamptz, text, text[], text) IS
	'funnel with options: remember the time, matched steps and excluded events of one row';
COMMENT ON FUNCTION funnel_options_transfn(internal, interval, timestamptz, text, text[], text, text) IS
	'funnel with a breakdown: remember one row and the property values the breakdown may use';
COMMENT ON FUNCTION funnel_options_finalfn(internal) IS 'funnel: evaluate the group''s rows';
COMMENT ON FUNCTION funnel_options_combinefn(internal, internal) IS 'funnel: merge two partial states';
COMMENT ON FUNCTION funnel_options_serialize(internal) IS 'funnel: serialize a partial state';
COMMENT ON FUNCTION funnel_options_deserialize(bytea, internal) IS 'funnel: deserialize a partial state';

CREATE AGGREGATE funnel("window" interval, ts timestamptz, event text, steps text[]) (
	SFUNC = funnel_options_transfn, STYPE = internal, SSPACE = 384,
	FINALFUNC = funnel_options_finalfn,
	COMBINEFUNC = funnel_options_combinefn,
	SERIALFUNC = funnel_options_serialize, DESERIALFUNC = funnel_options_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE funnel("window" interval, ts timestamptz, event text, steps text[], options text) (
	SFUNC = funnel_options_transfn, STYPE = internal, SSPACE = 384,
	FINALFUNC = funnel_options_finalfn,
	COMBINEFUNC = funnel_options_combinefn,
	SERIALFUNC = funnel_options_serialize, DESERIALFUNC = funnel_options_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE funnel("window" interval, ts timestamptz, event text, steps text[], options text, prop text) (
	SFUNC = funnel_options_transfn, STYPE = internal, SSPACE = 384,
	FINALFUNC = funnel_options_finalfn,
	COMBINEFUNC = funnel_options_combinefn,
	SERIALFUNC = funnel_options_serialize, DESERIALFUNC = funnel_options_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel(interval, timestamptz, text, text[]) IS
	'funnel(window, ts, event, steps[]): window_funnel''s furthest step, with the winning chain''s times, as a funnel_result';
COMMENT ON AGGREGATE funnel(interval, timestamptz, text, text[], text) IS
	'funnel(window, ts, event, steps[], options): with modes, any_order and exclusions (exclude EVENT between I and J)';
COMMENT ON AGGREGATE funnel(interval, timestamptz, text, text[], text, text) IS
	'funnel(window, ts, event, steps[], options, prop): with a breakdown of prop (breakdown first_touch | last_touch | step N)';

CREATE FUNCTION funnel(p milestone_path, "window" interval, steps text[], options text DEFAULT '')
	RETURNS funnel_result
	AS 'MODULE_PATHNAME', 'milestone_path_funnel'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION funnel(milestone_path, interval, text[], text) IS
	'funnel over a stored path: the aggregate funnel over the path''s rows';

/*
 * funnel_summary: funnel_result values across customers, with the step
 * times of each for exact medians and percentiles.  Its own type (not
 * internal) with lossless text I/O, so that Citus combines it.
 */
CREATE TYPE funnel_summary;
CREATE FUNCTION funnel_summary_in(cstring) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_summary_out(funnel_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_summary_recv(internal) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_summary_send(funnel_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE funnel_summary (
	INPUT = funnel_summary_in, OUTPUT = funnel_summary_out,
	RECEIVE = funnel_summary_recv, SEND = funnel_summary_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE funnel_summary IS
	'funnel_result values summarized across customers: customers by furthest step, excluded customers, every converting customer''s step times';
COMMENT ON FUNCTION funnel_summary_in(cstring) IS 'funnel_summary text input (v1;excluded=E;counts=...;2=offsets...)';
COMMENT ON FUNCTION funnel_summary_out(funnel_summary) IS 'funnel_summary text output: integers only, the same under every DateStyle, IntervalStyle and TimeZone';
COMMENT ON FUNCTION funnel_summary_recv(internal) IS
	'funnel_summary binary input: the send format, every byte checked by the rules of the text input (22P03)';
COMMENT ON FUNCTION funnel_summary_send(funnel_summary) IS
	'funnel_summary binary output: version byte 1, excluded (int8), last level L (int4), counts of levels 0..L (int8), step offsets of levels 2..L (int8), network byte order';

CREATE FUNCTION funnel_summary_transfn(funnel_summary, funnel_result) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_summary_combinefn(funnel_summary, funnel_summary) RETURNS funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION funnel_summary_transfn(funnel_summary, funnel_result) IS
	'funnel_summary_agg: add one customer''s funnel_result';
COMMENT ON FUNCTION funnel_summary_combinefn(funnel_summary, funnel_summary) IS
	'funnel_summary_agg: merge two partial summaries';
CREATE AGGREGATE funnel_summary_agg(r funnel_result) (
	SFUNC = funnel_summary_transfn, STYPE = funnel_summary,
	COMBINEFUNC = funnel_summary_combinefn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_summary_agg(funnel_result) IS
	'summarize funnel() results across customers into a funnel_summary, for funnel_summary_table and funnel_histogram';

CREATE FUNCTION funnel_summary_table(s funnel_summary, labels text[] DEFAULT NULL)
	RETURNS TABLE (step int4, label text, customers bigint, pct_of_first numeric, pct_of_previous numeric,
				   avg_from_previous interval, median_from_previous interval,
				   p90_from_previous interval, median_from_first interval)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE
	CALLED ON NULL INPUT ROWS 8;
COMMENT ON FUNCTION funnel_summary_table(funnel_summary, text[]) IS
	'a funnel report from a funnel_summary: customers per step (cumulative), percentages, average, median and p90 time from the previous step, median time from step 1';

CREATE FUNCTION funnel_histogram(s funnel_summary, from_step int4, to_step int4, bins int4 DEFAULT NULL)
	RETURNS TABLE (bin_start interval, bin_end interval, customers bigint)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE
	CALLED ON NULL INPUT ROWS 20;
COMMENT ON FUNCTION funnel_histogram(funnel_summary, int4, int4, int4) IS
	'time-to-convert histogram from from_step to to_step of a funnel_summary; bins NULL: clamp(ceil(cbrt(n)), 1, 60)';
-- END funnel_options

/*
 * Declared state sizes (CONTRIBUTING.md rule 8): SSPACE is the fixed state
 * of one group plus the rows it holds inline: window_funnel and friends
 * FUNNEL_STATE_SPACE (src/funnel/funnel_state.h), session_stats 256 (the
 * new names declare it; the deprecated aliases get it here),
 * stage_timeline_agg 80 (undeclared before), milestone_path_agg 80: a
 * 16-byte head and the 64-byte segment of its first 5 rows (0.2.0 declared
 * 256).  ALTER AGGREGATE
 * cannot change SSPACE, so the catalog is updated directly (this script runs
 * as superuser), by transition function, so that every name of an aggregate
 * gets the same size, and for the extension's own aggregates only: a user's
 * aggregate built on these transition functions keeps its declared size.
 */
-- BEGIN state_sizes
UPDATE pg_catalog.pg_aggregate SET aggtransspace = size.bytes
FROM (VALUES ('@extschema@.window_funnel_transfn'::pg_catalog.regproc, 256),
			 ('@extschema@.window_funnel_mode_transfn'::pg_catalog.regproc, 256),
			 ('@extschema@.window_funnel_event_transfn'::pg_catalog.regproc, 256),
			 ('@extschema@.window_funnel_event_mode_transfn'::pg_catalog.regproc, 256),
			 ('@extschema@.session_stats_transfn(pg_catalog.internal, pg_catalog.timestamptz, pg_catalog.interval)'::pg_catalog.regprocedure::pg_catalog.regproc, 256),
			 ('@extschema@.session_stats_transfn(pg_catalog.internal, pg_catalog.timestamp, pg_catalog.interval)'::pg_catalog.regprocedure::pg_catalog.regproc, 256),
			 ('@extschema@.stage_timeline_transfn(pg_catalog.internal, @extschema@.journey_stage, pg_catalog.timestamptz)'::pg_catalog.regprocedure::pg_catalog.regproc, 80),
			 ('@extschema@.milestone_path_agg_transfn(pg_catalog.internal, pg_catalog.text, pg_catalog.timestamptz)'::pg_catalog.regprocedure::pg_catalog.regproc, 80))
	AS size(transfn, bytes)
WHERE aggtransfn = size.transfn
	AND EXISTS (SELECT FROM pg_catalog.pg_depend d
				WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
					AND d.objid = aggfnoid::pg_catalog.oid
					AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
					AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'cx_journey')
					AND d.deptype = 'e');
-- END state_sizes
