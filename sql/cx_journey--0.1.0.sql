/* cx_journey install script, version 0.1.0 */

\echo Use "CREATE EXTENSION cx_journey" to load this file. \quit

/* ------------------------------------------------------------------------
 * journey_stage: the lifecycle stage of a customer relationship
 * ------------------------------------------------------------------------ */

CREATE TYPE journey_stage;

CREATE FUNCTION journey_stage_in(cstring) RETURNS journey_stage
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_out(journey_stage) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_recv(internal) RETURNS journey_stage
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_send(journey_stage) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE journey_stage (
	INPUT = journey_stage_in,
	OUTPUT = journey_stage_out,
	RECEIVE = journey_stage_recv,
	SEND = journey_stage_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);
COMMENT ON FUNCTION journey_stage_in(cstring) IS 'text input of journey_stage';
COMMENT ON FUNCTION journey_stage_out(journey_stage) IS 'text output of journey_stage';
COMMENT ON FUNCTION journey_stage_recv(internal) IS 'binary input of journey_stage (validated)';
COMMENT ON FUNCTION journey_stage_send(journey_stage) IS 'binary output of journey_stage';
COMMENT ON TYPE journey_stage IS
	'Lifecycle stage of a customer relationship: wooing < selling < honeymoon < bonding < leadership';

CREATE FUNCTION journey_stage_eq(journey_stage, journey_stage) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_ne(journey_stage, journey_stage) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_lt(journey_stage, journey_stage) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_le(journey_stage, journey_stage) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_gt(journey_stage, journey_stage) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_ge(journey_stage, journey_stage) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_cmp(journey_stage, journey_stage) RETURNS int4
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_hash(journey_stage) RETURNS int4
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION journey_stage_hash_extended(journey_stage, int8) RETURNS int8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION journey_stage_eq(journey_stage, journey_stage) IS 'equal';
COMMENT ON FUNCTION journey_stage_ne(journey_stage, journey_stage) IS 'not equal';
COMMENT ON FUNCTION journey_stage_lt(journey_stage, journey_stage) IS 'earlier in the lifecycle';
COMMENT ON FUNCTION journey_stage_le(journey_stage, journey_stage) IS 'earlier in the lifecycle or equal';
COMMENT ON FUNCTION journey_stage_gt(journey_stage, journey_stage) IS 'later in the lifecycle';
COMMENT ON FUNCTION journey_stage_ge(journey_stage, journey_stage) IS 'later in the lifecycle or equal';
COMMENT ON FUNCTION journey_stage_cmp(journey_stage, journey_stage) IS 'btree comparison: -1, 0 or 1 in lifecycle order';
COMMENT ON FUNCTION journey_stage_hash(journey_stage) IS 'hash of a stage';
COMMENT ON FUNCTION journey_stage_hash_extended(journey_stage, int8) IS 'seeded 64-bit hash of a stage';

CREATE OPERATOR = (
	LEFTARG = journey_stage, RIGHTARG = journey_stage,
	FUNCTION = journey_stage_eq, COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = journey_stage, RIGHTARG = journey_stage,
	FUNCTION = journey_stage_ne, COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = journey_stage, RIGHTARG = journey_stage,
	FUNCTION = journey_stage_lt, COMMUTATOR = >, NEGATOR = >=,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = journey_stage, RIGHTARG = journey_stage,
	FUNCTION = journey_stage_le, COMMUTATOR = >=, NEGATOR = >,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = journey_stage, RIGHTARG = journey_stage,
	FUNCTION = journey_stage_gt, COMMUTATOR = <, NEGATOR = <=,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = journey_stage, RIGHTARG = journey_stage,
	FUNCTION = journey_stage_ge, COMMUTATOR = <=, NEGATOR = <,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS journey_stage_ops
	DEFAULT FOR TYPE journey_stage USING btree AS
		OPERATOR 1 <,
		OPERATOR 2 <=,
		OPERATOR 3 =,
		OPERATOR 4 >=,
		OPERATOR 5 >,
		FUNCTION 1 journey_stage_cmp(journey_stage, journey_stage);

CREATE OPERATOR CLASS journey_stage_hash_ops
	DEFAULT FOR TYPE journey_stage USING hash AS
		OPERATOR 1 =,
		FUNCTION 1 journey_stage_hash(journey_stage),
		FUNCTION 2 journey_stage_hash_extended(journey_stage, int8);

CREATE FUNCTION journey_stage_smaller(journey_stage, journey_stage) RETURNS journey_stage
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION journey_stage_larger(journey_stage, journey_stage) RETURNS journey_stage
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_stage_smaller(journey_stage, journey_stage) IS 'the earlier of two stages';
COMMENT ON FUNCTION journey_stage_larger(journey_stage, journey_stage) IS 'the later of two stages';

CREATE AGGREGATE min(journey_stage) (
	SFUNC = journey_stage_smaller,
	STYPE = journey_stage,
	COMBINEFUNC = journey_stage_smaller,
	SORTOP = <,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(journey_stage) IS 'earliest stage in the group';

CREATE AGGREGATE max(journey_stage) (
	SFUNC = journey_stage_larger,
	STYPE = journey_stage,
	COMBINEFUNC = journey_stage_larger,
	SORTOP = >,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(journey_stage) IS 'furthest stage in the group';

CREATE FUNCTION stage_rank(journey_stage) RETURNS int4
	AS 'MODULE_PATHNAME', 'journey_stage_rank'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION stage_rank(journey_stage) IS
	'lifecycle rank of a stage: 1 wooing, 2 selling, 3 honeymoon, 4 bonding, 5 leadership';

CREATE FUNCTION journey_stage(int4) RETURNS journey_stage
	AS 'MODULE_PATHNAME', 'journey_stage_from_int'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journey_stage(int4) IS
	'the stage of a lifecycle rank 1..5; error 22003 outside that range';

CREATE CAST (int4 AS journey_stage) WITH FUNCTION journey_stage(int4);
CREATE CAST (journey_stage AS int4) WITH FUNCTION stage_rank(journey_stage);

CREATE FUNCTION stage_next(journey_stage) RETURNS journey_stage
	AS 'MODULE_PATHNAME', 'journey_stage_next'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_next(journey_stage) IS
	'the next stage in the lifecycle; NULL after leadership';

CREATE FUNCTION stage_prev(journey_stage) RETURNS journey_stage
	AS 'MODULE_PATHNAME', 'journey_stage_prev'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_prev(journey_stage) IS
	'the previous stage in the lifecycle; NULL before wooing';

CREATE FUNCTION journey_stages(OUT rank int4, OUT stage journey_stage, OUT aliases text[])
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION journey_stages() IS
	'every stage with its rank and accepted spellings, in lifecycle order (for pick-lists)';

/* ------------------------------------------------------------------------
 * stage_timeline: one customer's stage history, built by an aggregate
 * ------------------------------------------------------------------------ */

CREATE TYPE stage_timeline;

CREATE FUNCTION stage_timeline_in(cstring) RETURNS stage_timeline
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_timeline_out(stage_timeline) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_timeline_recv(internal) RETURNS stage_timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_timeline_send(stage_timeline) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE stage_timeline (
	INPUT = stage_timeline_in,
	OUTPUT = stage_timeline_out,
	RECEIVE = stage_timeline_recv,
	SEND = stage_timeline_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON FUNCTION stage_timeline_in(cstring) IS 'text input of stage_timeline';
COMMENT ON FUNCTION stage_timeline_out(stage_timeline) IS 'text output of stage_timeline';
COMMENT ON FUNCTION stage_timeline_recv(internal) IS 'binary input of stage_timeline (validated)';
COMMENT ON FUNCTION stage_timeline_send(stage_timeline) IS 'binary output of stage_timeline';
COMMENT ON TYPE stage_timeline IS
	'a customer''s stage history: time-ordered stage changes, as built by the stage_timeline aggregate';

CREATE FUNCTION stage_timeline_transfn(internal, journey_stage, timestamptz) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_timeline_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_timeline_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_timeline_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_timeline_finalfn(internal) RETURNS stage_timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION stage_timeline_transfn(internal, journey_stage, timestamptz) IS 'stage_timeline aggregate: remember one stage change';
COMMENT ON FUNCTION stage_timeline_combinefn(internal, internal) IS 'stage_timeline aggregate: merge two partial states';
COMMENT ON FUNCTION stage_timeline_serialize(internal) IS 'stage_timeline aggregate: partial state to bytes';
COMMENT ON FUNCTION stage_timeline_deserialize(bytea, internal) IS 'stage_timeline aggregate: validated bytes to partial state';
COMMENT ON FUNCTION stage_timeline_finalfn(internal) IS 'stage_timeline aggregate: sort, merge and build the timeline';

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
	'one customer''s stage history from its stage changes, in any order; NULL rows skipped, same-instant changes keep the furthest stage, equal consecutive stages merge';

CREATE FUNCTION current_stage(stage_timeline) RETURNS journey_stage
	AS 'MODULE_PATHNAME', 'stage_timeline_current'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION current_stage(stage_timeline) IS 'the stage after the last change';

CREATE FUNCTION furthest_stage(stage_timeline) RETURNS journey_stage
	AS 'MODULE_PATHNAME', 'stage_timeline_furthest'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION furthest_stage(stage_timeline) IS 'the furthest stage ever reached';

CREATE FUNCTION regressions(stage_timeline) RETURNS int4
	AS 'MODULE_PATHNAME', 'stage_timeline_regressions'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION regressions(stage_timeline) IS 'number of changes to an earlier stage';

CREATE FUNCTION stage_changes(stage_timeline) RETURNS int4
	AS 'MODULE_PATHNAME', 'stage_timeline_changes'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_changes(stage_timeline) IS 'number of changes of stage (0 for a customer who stayed in one stage)';

CREATE FUNCTION stage_at(stage_timeline, timestamptz) RETURNS journey_stage
	AS 'MODULE_PATHNAME', 'stage_timeline_stage_at'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_at(stage_timeline, timestamptz) IS 'the stage in force at a moment; NULL before the first change';

CREATE FUNCTION entered_at(stage_timeline, journey_stage) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'stage_timeline_entered_at'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entered_at(stage_timeline, journey_stage) IS 'when the stage was first entered; NULL if never';

CREATE FUNCTION time_in_stage(timeline stage_timeline, stage journey_stage, until timestamptz) RETURNS interval
	AS 'MODULE_PATHNAME', 'stage_timeline_time_in_stage'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION time_in_stage(stage_timeline, journey_stage, timestamptz) IS
	'total time spent in a stage up to "until"; the last stage lasts until "until"';

/* ------------------------------------------------------------------------
 * Funnels: per-customer aggregates (GROUP BY customer)
 * ------------------------------------------------------------------------ */

CREATE FUNCTION window_funnel_transfn(internal, interval, timestamptz, VARIADIC "any")
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_mode_transfn(internal, interval, text, timestamptz, VARIADIC "any")
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_combinefn(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_finalfn(internal)
	RETURNS int4 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_times_finalfn(internal)
	RETURNS timestamptz[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_to_convert_finalfn(internal)
	RETURNS interval AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION window_funnel_transfn(internal, interval, timestamptz, VARIADIC "any") IS
	'funnel aggregates: remember the time and matched steps of one row';
COMMENT ON FUNCTION window_funnel_mode_transfn(internal, interval, text, timestamptz, VARIADIC "any") IS
	'funnel aggregates with a mode: remember the time and matched steps of one row';
COMMENT ON FUNCTION window_funnel_combinefn(internal, internal) IS 'funnel aggregates: merge two partial states';
COMMENT ON FUNCTION window_funnel_serialize(internal) IS 'funnel aggregates: partial state to bytes';
COMMENT ON FUNCTION window_funnel_deserialize(bytea, internal) IS 'funnel aggregates: validated bytes to partial state';
COMMENT ON FUNCTION window_funnel_finalfn(internal) IS 'window_funnel: the furthest step reached';
COMMENT ON FUNCTION window_funnel_times_finalfn(internal) IS 'window_funnel_times: when each step was reached';
COMMENT ON FUNCTION time_to_convert_finalfn(internal) IS 'time_to_convert: last minus first step when all were reached';

CREATE AGGREGATE window_funnel(interval, timestamptz, VARIADIC "any") (
	SFUNC = window_funnel_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = window_funnel_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC "any") (
	SFUNC = window_funnel_mode_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = window_funnel_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel(interval, timestamptz, VARIADIC "any") IS
	'window_funnel(window, ts, step1, step2, ...): furthest funnel step reached within the window (exact optimum, rows in any order)';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC "any") IS
	'window_funnel(window, mode, ts, step1, ...): furthest step with modes strict_order, strict_deduplication, strict_increase, first_entry';

CREATE AGGREGATE window_funnel_times(interval, timestamptz, VARIADIC "any") (
	SFUNC = window_funnel_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = window_funnel_times_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel_times(interval, text, timestamptz, VARIADIC "any") (
	SFUNC = window_funnel_mode_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = window_funnel_times_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel_times(interval, timestamptz, VARIADIC "any") IS
	'when each step was reached, in the chain that reached the furthest step first (latest start on ties)';
COMMENT ON AGGREGATE window_funnel_times(interval, text, timestamptz, VARIADIC "any") IS
	'window_funnel_times with modes';

CREATE AGGREGATE time_to_convert(interval, timestamptz, VARIADIC "any") (
	SFUNC = window_funnel_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = time_to_convert_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE time_to_convert(interval, text, timestamptz, VARIADIC "any") (
	SFUNC = window_funnel_mode_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = time_to_convert_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE time_to_convert(interval, timestamptz, VARIADIC "any") IS
	'time from the first to the last step of the converting chain; NULL unless every step was reached';
COMMENT ON AGGREGATE time_to_convert(interval, text, timestamptz, VARIADIC "any") IS
	'time_to_convert with modes';

/* The event form: steps given as the event of each step, compared byte-wise
 * with one event column (faster than one condition per step). */
CREATE FUNCTION window_funnel_event_transfn(internal, interval, timestamptz, text, text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_event_mode_transfn(internal, interval, text, timestamptz, text, text[])
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION window_funnel_event_transfn(internal, interval, timestamptz, text, text[]) IS
	'funnel aggregates, event form: remember the time and matched steps of one row';
COMMENT ON FUNCTION window_funnel_event_mode_transfn(internal, interval, text, timestamptz, text, text[]) IS
	'funnel aggregates, event form with a mode: remember the time and matched steps of one row';

CREATE AGGREGATE window_funnel("window" interval, ts timestamptz, event text, steps text[]) (
	SFUNC = window_funnel_event_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = window_funnel_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel("window" interval, mode text, ts timestamptz, event text, steps text[]) (
	SFUNC = window_funnel_event_mode_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = window_funnel_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel(interval, timestamptz, text, text[]) IS
	'window_funnel(window, ts, event, steps[]): furthest funnel step reached; steps are events compared byte-wise with the event column';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, text, text[]) IS
	'window_funnel(window, mode, ts, event, steps[]): the event form with modes';

CREATE AGGREGATE window_funnel_times("window" interval, ts timestamptz, event text, steps text[]) (
	SFUNC = window_funnel_event_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = window_funnel_times_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel_times("window" interval, mode text, ts timestamptz, event text, steps text[]) (
	SFUNC = window_funnel_event_mode_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = window_funnel_times_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel_times(interval, timestamptz, text, text[]) IS
	'window_funnel_times(window, ts, event, steps[]): when each step was reached; steps are events compared with the event column';
COMMENT ON AGGREGATE window_funnel_times(interval, text, timestamptz, text, text[]) IS
	'window_funnel_times(window, mode, ts, event, steps[]): the event form with modes';

CREATE AGGREGATE time_to_convert("window" interval, ts timestamptz, event text, steps text[]) (
	SFUNC = window_funnel_event_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = time_to_convert_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE time_to_convert("window" interval, mode text, ts timestamptz, event text, steps text[]) (
	SFUNC = window_funnel_event_mode_transfn, STYPE = internal, SSPACE = 160,
	FINALFUNC = time_to_convert_finalfn,
	COMBINEFUNC = window_funnel_combinefn,
	SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE time_to_convert(interval, timestamptz, text, text[]) IS
	'time_to_convert(window, ts, event, steps[]): time from the first to the last step of the converting chain; steps are events compared with the event column';
COMMENT ON AGGREGATE time_to_convert(interval, text, timestamptz, text, text[]) IS
	'time_to_convert(window, mode, ts, event, steps[]): the event form with modes';

/* ------------------------------------------------------------------------
 * Funnels: across customers (the report a BI tool draws)
 * ------------------------------------------------------------------------ */

CREATE FUNCTION funnel_counts_transfn(bigint[], int4, int4)
	RETURNS bigint[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION counts_array_add(bigint[], bigint[])
	RETURNS bigint[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION funnel_counts_transfn(bigint[], int4, int4) IS 'funnel_counts: count one customer at every step up to its level';
COMMENT ON FUNCTION counts_array_add(bigint[], bigint[]) IS 'element-wise sum of two count arrays of the same length';

CREATE AGGREGATE funnel_counts(level int4, steps int4) (
	SFUNC = funnel_counts_transfn, STYPE = bigint[],
	COMBINEFUNC = counts_array_add,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_counts(int4, int4) IS
	'element k = customers whose funnel level is at least k (cumulative counts); NULL levels skipped';

CREATE FUNCTION retention_transfn(int8, VARIADIC "any")
	RETURNS int8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_finalfn(int8, VARIADIC "any")
	RETURNS bool[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION retention_transfn(int8, VARIADIC "any") IS 'retention: remember which conditions were ever true';
COMMENT ON FUNCTION retention_finalfn(int8, VARIADIC "any") IS 'retention: r1 = cond1 seen, ri = cond1 and condi seen';

CREATE AGGREGATE retention(VARIADIC "any") (
	SFUNC = retention_transfn, STYPE = int8, INITCOND = '0',
	FINALFUNC = retention_finalfn, FINALFUNC_EXTRA,
	COMBINEFUNC = int8or,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention(VARIADIC "any") IS
	'retention(cond1, cond2, ...): element 1 = cond1 held on some row; element i = cond1 and condi each held on some row';

CREATE FUNCTION retention_counts_transfn(bigint[], bool[])
	RETURNS bigint[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION retention_counts_transfn(bigint[], bool[]) IS 'retention_counts: count one customer''s true elements';

CREATE AGGREGATE retention_counts(bool[]) (
	SFUNC = retention_counts_transfn, STYPE = bigint[],
	COMBINEFUNC = counts_array_add,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_counts(bool[]) IS
	'element i = customers whose retention array is true at i';

CREATE FUNCTION funnel_table(counts bigint[], labels text[] DEFAULT NULL)
	RETURNS TABLE (step int4, label text, customers bigint, pct_of_first numeric, pct_of_previous numeric)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE
	CALLED ON NULL INPUT ROWS 8;
COMMENT ON FUNCTION funnel_table(bigint[], text[]) IS
	'a funnel report, one row per step, from funnel_counts: customers, % of step 1 and % of the previous step (2 decimals)';

CREATE FUNCTION funnel_json(counts bigint[], labels text[] DEFAULT NULL)
	RETURNS json AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION funnel_json(bigint[], text[]) IS
	'the funnel report of funnel_table as a JSON array of objects (built with libjson-c)';

/* ------------------------------------------------------------------------
 * Sessions
 * ------------------------------------------------------------------------ */

CREATE FUNCTION session_id(ts timestamptz, gap interval, max_duration interval DEFAULT NULL,
						   max_events int4 DEFAULT NULL, boundary bool DEFAULT false)
	RETURNS bigint AS 'MODULE_PATHNAME', 'session_id' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_id(ts timestamp, gap interval, max_duration interval DEFAULT NULL,
						   max_events int4 DEFAULT NULL, boundary bool DEFAULT false)
	RETURNS bigint AS 'MODULE_PATHNAME', 'session_id' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_seq(ts timestamptz, gap interval, max_duration interval DEFAULT NULL,
							max_events int4 DEFAULT NULL, boundary bool DEFAULT false)
	RETURNS bigint AS 'MODULE_PATHNAME', 'session_seq' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_seq(ts timestamp, gap interval, max_duration interval DEFAULT NULL,
							max_events int4 DEFAULT NULL, boundary bool DEFAULT false)
	RETURNS bigint AS 'MODULE_PATHNAME', 'session_seq' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION session_id(timestamptz, interval, interval, int4, bool) IS
	'window function: 1-based session number; a new session when the time since the previous row is strictly greater than gap, or past max_duration / max_events, or at a boundary row; needs ORDER BY ts';
COMMENT ON FUNCTION session_id(timestamp, interval, interval, int4, bool) IS
	'window function: 1-based session number (timestamp without time zone)';
COMMENT ON FUNCTION session_seq(timestamptz, interval, interval, int4, bool) IS
	'window function: 1-based position of the row inside its session (same rules as session_id)';
COMMENT ON FUNCTION session_seq(timestamp, interval, interval, int4, bool) IS
	'window function: 1-based position of the row inside its session (timestamp without time zone)';

CREATE TYPE session_summary AS (
	sessions bigint,
	avg_duration interval,
	max_duration interval,
	avg_events numeric
);
COMMENT ON TYPE session_summary IS
	'result of session_stats: number of sessions, average and longest duration (first to last row), average rows per session';

CREATE FUNCTION session_stats_transfn(internal, timestamptz, interval)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_stats_transfn(internal, timestamp, interval)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_stats_combinefn(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION session_stats_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION session_stats_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION session_stats_finalfn(internal)
	RETURNS session_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION session_stats_transfn(internal, timestamptz, interval) IS 'session_stats: remember one timestamp';
COMMENT ON FUNCTION session_stats_transfn(internal, timestamp, interval) IS 'session_stats: remember one timestamp';
COMMENT ON FUNCTION session_stats_combinefn(internal, internal) IS 'session_stats: merge two partial states';
COMMENT ON FUNCTION session_stats_serialize(internal) IS 'session_stats: partial state to bytes';
COMMENT ON FUNCTION session_stats_deserialize(bytea, internal) IS 'session_stats: validated bytes to partial state';
COMMENT ON FUNCTION session_stats_finalfn(internal) IS 'session_stats: sort and summarise the sessions';

CREATE AGGREGATE session_stats(ts timestamptz, gap interval) (
	SFUNC = session_stats_transfn, STYPE = internal, SSPACE = 200,
	FINALFUNC = session_stats_finalfn,
	COMBINEFUNC = session_stats_combinefn,
	SERIALFUNC = session_stats_serialize, DESERIALFUNC = session_stats_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE session_stats(ts timestamp, gap interval) (
	SFUNC = session_stats_transfn, STYPE = internal, SSPACE = 200,
	FINALFUNC = session_stats_finalfn,
	COMBINEFUNC = session_stats_combinefn,
	SERIALFUNC = session_stats_serialize, DESERIALFUNC = session_stats_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE session_stats(timestamptz, interval) IS
	'per-customer session summary (sessions, avg_duration, max_duration, avg_events) with the rules of session_id, rows in any order';
COMMENT ON AGGREGATE session_stats(timestamp, interval) IS
	'per-customer session summary (timestamp without time zone)';
