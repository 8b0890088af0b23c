/* cx_journey upgrade script, 0.1.0 to 0.2.0: milestone_path */

\echo Use "ALTER EXTENSION cx_journey UPDATE TO '0.2.0'" to load this file. \quit

/* ------------------------------------------------------------------------
 * milestone_path: the ordered milestones a customer reached
 * ------------------------------------------------------------------------ */

CREATE TYPE milestone_path;

-- input and output read and write times in the session's time zone
CREATE FUNCTION milestone_path_in(cstring) RETURNS milestone_path
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_out(milestone_path) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_recv(internal) RETURNS milestone_path
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_send(milestone_path) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE milestone_path (
	INPUT = milestone_path_in,
	OUTPUT = milestone_path_out,
	RECEIVE = milestone_path_recv,
	SEND = milestone_path_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON FUNCTION milestone_path_in(cstring) IS 'text input of milestone_path';
COMMENT ON FUNCTION milestone_path_out(milestone_path) IS 'text output of milestone_path (ISO times)';
COMMENT ON FUNCTION milestone_path_recv(internal) IS 'binary input of milestone_path';
COMMENT ON FUNCTION milestone_path_send(milestone_path) IS 'binary output of milestone_path';
COMMENT ON TYPE milestone_path IS
	'ordered milestones a customer reached, each a label and (except in patterns) the time: visit@2024-01-05 10:00:00+00 -> cart@2024-01-05 10:02:00+00';

/* JSON: an array of {"label": ..., "at": ...} */
CREATE FUNCTION milestone_path_to_json(milestone_path) RETURNS json
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_path_to_json(milestone_path) IS
	'the path as a JSON array of {"label", "at"} objects';
CREATE FUNCTION milestone_path(json) RETURNS milestone_path
	AS 'MODULE_PATHNAME', 'milestone_path_from_json'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_path(json) IS
	'a path from a JSON array of {"label", "at"} objects (the inverse of p::json)';
CREATE CAST (milestone_path AS json) WITH FUNCTION milestone_path_to_json(milestone_path);
CREATE CAST (json AS milestone_path) WITH FUNCTION milestone_path(json);

/* reading one path */
CREATE FUNCTION length(milestone_path) RETURNS int4
	AS 'MODULE_PATHNAME', 'milestone_path_length'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION length(milestone_path) IS 'number of steps of the path';

CREATE FUNCTION milestones(milestone_path) RETURNS text[]
	AS 'MODULE_PATHNAME', 'milestone_path_milestones'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestones(milestone_path) IS 'labels of the steps, in order';

CREATE FUNCTION milestone_at(milestone_path, int4) RETURNS text
	AS 'MODULE_PATHNAME', 'milestone_path_milestone_at'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_at(milestone_path, int4) IS
	'label of step n (1-based; negative n counts from the end); NULL outside the path';

CREATE FUNCTION last_milestone(milestone_path) RETURNS text
	AS 'MODULE_PATHNAME', 'milestone_path_last_milestone'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION last_milestone(milestone_path) IS 'label of the last step; NULL for an empty path';

CREATE FUNCTION reached_at(milestone_path, text) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'milestone_path_reached_at'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reached_at(milestone_path, text) IS
	'when the label was first reached; NULL if never or if the path has no times';

CREATE FUNCTION time_between(milestone_path, text, text) RETURNS interval
	AS 'MODULE_PATHNAME', 'milestone_path_time_between'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION time_between(milestone_path, text, text) IS
	'time from the first from_label step to the first to_label step after it; NULL if there is none';

/* transformations */
CREATE FUNCTION compact(milestone_path) RETURNS milestone_path
	AS 'MODULE_PATHNAME', 'milestone_path_compact'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION compact(milestone_path) IS
	'the path without steps that repeat the label just before them';

CREATE FUNCTION first_reached(milestone_path) RETURNS milestone_path
	AS 'MODULE_PATHNAME', 'milestone_path_first_reached'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION first_reached(milestone_path) IS
	'each label''s first step only: a customer''s milestone status';

CREATE FUNCTION labels_only(milestone_path) RETURNS milestone_path
	AS 'MODULE_PATHNAME', 'milestone_path_labels_only'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION labels_only(milestone_path) IS
	'the path without times, for counting the most common paths with GROUP BY';

/* operators */
CREATE FUNCTION milestone_path_contains(milestone_path, milestone_path) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_path_contains(milestone_path, milestone_path) IS
	'implementation of @>: the right path''s labels occur in the left path in order, gaps allowed';
CREATE FUNCTION milestone_path_contained(milestone_path, milestone_path) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_path_contained(milestone_path, milestone_path) IS
	'implementation of <@: the left path''s labels occur in the right path in order';
CREATE FUNCTION milestone_path_concat(milestone_path, milestone_path) RETURNS milestone_path
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_path_concat(milestone_path, milestone_path) IS
	'implementation of ||: the steps of both paths merged by time (appended when neither has times)';

CREATE OPERATOR @> (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_contains, COMMUTATOR = <@,
	RESTRICT = contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR @> (milestone_path, milestone_path) IS
	'contains: the right path''s labels occur in the left path in order, gaps allowed';
CREATE OPERATOR <@ (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_contained, COMMUTATOR = @>,
	RESTRICT = contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR <@ (milestone_path, milestone_path) IS
	'is contained in: the left path''s labels occur in the right path in order';
CREATE OPERATOR || (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_concat
);
COMMENT ON OPERATOR || (milestone_path, milestone_path) IS
	'merge two paths by time (append when neither has times)';

CREATE FUNCTION milestone_path_eq(milestone_path, milestone_path) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION milestone_path_ne(milestone_path, milestone_path) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION milestone_path_lt(milestone_path, milestone_path) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_le(milestone_path, milestone_path) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_gt(milestone_path, milestone_path) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_ge(milestone_path, milestone_path) RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_cmp(milestone_path, milestone_path) RETURNS int4
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_hash(milestone_path) RETURNS int4
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_hash_extended(milestone_path, int8) RETURNS int8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_path_eq(milestone_path, milestone_path) IS 'implementation of = (same steps, labels and times)';
COMMENT ON FUNCTION milestone_path_ne(milestone_path, milestone_path) IS 'implementation of <>';
COMMENT ON FUNCTION milestone_path_lt(milestone_path, milestone_path) IS 'implementation of <';
COMMENT ON FUNCTION milestone_path_le(milestone_path, milestone_path) IS 'implementation of <=';
COMMENT ON FUNCTION milestone_path_gt(milestone_path, milestone_path) IS 'implementation of >';
COMMENT ON FUNCTION milestone_path_ge(milestone_path, milestone_path) IS 'implementation of >=';
COMMENT ON FUNCTION milestone_path_cmp(milestone_path, milestone_path) IS
	'btree order: label sequence (bytes), then paths without times, then times';
COMMENT ON FUNCTION milestone_path_hash(milestone_path) IS 'hash of a milestone_path';
COMMENT ON FUNCTION milestone_path_hash_extended(milestone_path, int8) IS 'seeded 64-bit hash of a milestone_path';

CREATE OPERATOR = (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_eq, COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_ne, COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_lt, COMMUTATOR = >, NEGATOR = >=,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_le, COMMUTATOR = >=, NEGATOR = >,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_gt, COMMUTATOR = <, NEGATOR = <=,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = milestone_path, RIGHTARG = milestone_path,
	FUNCTION = milestone_path_ge, COMMUTATOR = <=, NEGATOR = <,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS milestone_path_ops
	DEFAULT FOR TYPE milestone_path USING btree AS
		OPERATOR 1 <,
		OPERATOR 2 <=,
		OPERATOR 3 =,
		OPERATOR 4 >=,
		OPERATOR 5 >,
		FUNCTION 1 milestone_path_cmp(milestone_path, milestone_path);

CREATE OPERATOR CLASS milestone_path_hash_ops
	DEFAULT FOR TYPE milestone_path USING hash AS
		OPERATOR 1 =,
		FUNCTION 1 milestone_path_hash(milestone_path),
		FUNCTION 2 milestone_path_hash_extended(milestone_path, int8);

/* GIN: index the labels of stored paths; @> rechecks the order on the row */
CREATE FUNCTION milestone_path_gin_extract_value(milestone_path, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_gin_extract_query(milestone_path, internal, int2, internal, internal, internal, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_gin_consistent(internal, int2, milestone_path, int4, internal, internal, internal, internal)
	RETURNS bool
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION milestone_path_gin_extract_value(milestone_path, internal) IS
	'GIN support: hashes of the distinct labels of a path';
COMMENT ON FUNCTION milestone_path_gin_extract_query(milestone_path, internal, int2, internal, internal, internal, internal) IS
	'GIN support: hashes of the labels a path must hold to contain the pattern';
COMMENT ON FUNCTION milestone_path_gin_consistent(internal, int2, milestone_path, int4, internal, internal, internal, internal) IS
	'GIN support: every label present (order rechecked on the row)';

CREATE OPERATOR CLASS milestone_path_gin_ops
	DEFAULT FOR TYPE milestone_path USING gin AS
		OPERATOR 7 @>,
		FUNCTION 1 pg_catalog.btint4cmp(pg_catalog.int4, pg_catalog.int4),
		FUNCTION 2 milestone_path_gin_extract_value(milestone_path, internal),
		FUNCTION 3 milestone_path_gin_extract_query(milestone_path, internal, int2, internal, internal, internal, internal),
		FUNCTION 4 milestone_path_gin_consistent(internal, int2, milestone_path, int4, internal, internal, internal, internal),
		STORAGE int4;

/* the aggregate */
CREATE FUNCTION milestone_path_agg_transfn(internal, text, timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION milestone_path_agg_combinefn(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION milestone_path_agg_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_agg_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION milestone_path_agg_finalfn(internal)
	RETURNS milestone_path AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION milestone_path_agg_transfn(internal, text, timestamptz) IS 'milestone_path_agg: remember one row';
COMMENT ON FUNCTION milestone_path_agg_combinefn(internal, internal) IS 'milestone_path_agg: merge two partial states';
COMMENT ON FUNCTION milestone_path_agg_serialize(internal) IS 'milestone_path_agg: partial state to bytes';
COMMENT ON FUNCTION milestone_path_agg_deserialize(bytea, internal) IS 'milestone_path_agg: validated bytes to partial state';
COMMENT ON FUNCTION milestone_path_agg_finalfn(internal) IS 'milestone_path_agg: order the rows into a path';

CREATE AGGREGATE milestone_path_agg(label text, at timestamptz) (
	SFUNC = milestone_path_agg_transfn, STYPE = internal, SSPACE = 256,
	FINALFUNC = milestone_path_agg_finalfn,
	COMBINEFUNC = milestone_path_agg_combinefn,
	SERIALFUNC = milestone_path_agg_serialize, DESERIALFUNC = milestone_path_agg_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE milestone_path_agg(text, timestamptz) IS
	'one customer''s milestones as a path: ordered by time, ties by label, rows in any order, NULL rows skipped';

/* ------------------------------------------------------------------------
 * Comments on every remaining object (casts, comparison operators, operator
 * classes and families of both types), so \dC+, \do+ and BI tools' data
 * browsers describe them too.
 * ------------------------------------------------------------------------ */

COMMENT ON CAST (int4 AS journey_stage) IS 'the stage of a lifecycle rank 1..5 (22003 outside)';
COMMENT ON CAST (journey_stage AS int4) IS 'the lifecycle rank 1..5 of a stage';
COMMENT ON CAST (milestone_path AS json) IS 'the path as a JSON array of {"label", "at"} objects';
COMMENT ON CAST (json AS milestone_path) IS 'a path from a JSON array of {"label", "at"} objects';

COMMENT ON OPERATOR = (journey_stage, journey_stage) IS 'same stage';
COMMENT ON OPERATOR <> (journey_stage, journey_stage) IS 'different stages';
COMMENT ON OPERATOR < (journey_stage, journey_stage) IS 'earlier in the lifecycle';
COMMENT ON OPERATOR <= (journey_stage, journey_stage) IS 'earlier in the lifecycle or the same';
COMMENT ON OPERATOR > (journey_stage, journey_stage) IS 'later in the lifecycle';
COMMENT ON OPERATOR >= (journey_stage, journey_stage) IS 'later in the lifecycle or the same';
COMMENT ON OPERATOR CLASS journey_stage_ops USING btree IS 'lifecycle order of journey stages';
COMMENT ON OPERATOR FAMILY journey_stage_ops USING btree IS 'lifecycle order of journey stages';
COMMENT ON OPERATOR CLASS journey_stage_hash_ops USING hash IS 'hashing of journey stages';
COMMENT ON OPERATOR FAMILY journey_stage_hash_ops USING hash IS 'hashing of journey stages';

COMMENT ON OPERATOR = (milestone_path, milestone_path) IS 'same steps: labels and times';
COMMENT ON OPERATOR <> (milestone_path, milestone_path) IS 'different steps';
COMMENT ON OPERATOR < (milestone_path, milestone_path) IS 'sorts before (label sequence, then times)';
COMMENT ON OPERATOR <= (milestone_path, milestone_path) IS 'sorts before or equal';
COMMENT ON OPERATOR > (milestone_path, milestone_path) IS 'sorts after (label sequence, then times)';
COMMENT ON OPERATOR >= (milestone_path, milestone_path) IS 'sorts after or equal';
COMMENT ON OPERATOR CLASS milestone_path_ops USING btree IS 'order of milestone paths: label sequence (bytes), untimed first, then times';
COMMENT ON OPERATOR FAMILY milestone_path_ops USING btree IS 'order of milestone paths';
COMMENT ON OPERATOR CLASS milestone_path_hash_ops USING hash IS 'hashing of milestone paths';
COMMENT ON OPERATOR FAMILY milestone_path_hash_ops USING hash IS 'hashing of milestone paths';
COMMENT ON OPERATOR CLASS milestone_path_gin_ops USING gin IS 'GIN index of the labels of stored paths, for @> (order rechecked on the row)';
COMMENT ON OPERATOR FAMILY milestone_path_gin_ops USING gin IS 'GIN index of the labels of stored paths';

-- What the funnel aggregates' parallel support costs, in the planner's units
-- (one unit is a cpu_operator_cost, about 40 ns on the benchmark machine,
-- judged from the floor query's time per row against its plan's cost): each
-- partial state of a group is written out by a worker, read back and merged
-- by the leader, about 1.5 us in all (perf over the benchmark).  With the
-- default cost of 1 the planner took a parallel plan for a GROUP BY of
-- 250,000 customers spread over the whole table, whose leader then merged
-- 750,000 partial states: no faster than the serial plan on two cores, at
-- twice the CPU.
ALTER FUNCTION window_funnel_serialize(internal) COST 10;
ALTER FUNCTION window_funnel_deserialize(bytea, internal) COST 10;
ALTER FUNCTION window_funnel_combinefn(internal, internal) COST 15;
