-- journey_model: a tiny model checked by hand, its text and binary forms,
-- the aggregate's rules (k, active_after, NULL paths), || and bad input.
SET timezone = 'UTC';
CREATE TABLE jm_paths (id int, p milestone_path);
INSERT INTO jm_paths VALUES
	(1, 'a -> b -> c'), (2, 'a -> c'), (3, 'b'), (4, NULL), (5, 'a -> a -> b');

-- 1. order 1 by hand: from ^: a 3 (paths 1, 2, 5), b 1 (path 3);
--    from a: a 1, b 2, c 1; from b: c 1, end 2; from c: end 2
SELECT journey_model_agg(p) FROM jm_paths;
SELECT context, next, transitions, round(probability::numeric, 4) AS probability
FROM journey_transitions((SELECT journey_model_agg(p) FROM jm_paths));
-- order 2: the context is the last two labels, padded with the start ^
SELECT journey_model_agg(p, 2) FROM jm_paths;
SELECT context, next, transitions FROM journey_transitions((SELECT journey_model_agg(p, 2) FROM jm_paths))
WHERE context = ARRAY[NULL, 'a'];
-- only NULL paths: NULL; an empty path is a start -> end transition
SELECT journey_model_agg(p) IS NULL AS all_null FROM jm_paths WHERE p IS NULL;
SELECT journey_model_agg(p) FROM (VALUES (''::milestone_path)) v(p);

-- 2. active paths: a path whose last step is after active_after gets no end
CREATE TABLE jm_timed (p milestone_path);
INSERT INTO jm_timed VALUES ('a@2024-01-01 -> b@2024-01-02'), ('a@2024-01-01 -> b@2024-03-05'),
	('b@2024-02-01');
-- path 2 (last step 2024-03-05) is still active: b -> end counts 2, not 3
SELECT journey_model_agg(p, 1, '2024-03-01') FROM jm_timed;
SELECT journey_model_agg(p, 1) FROM jm_timed;
-- active_after with a path without times
SELECT journey_model_agg(p, 1, '2024-03-01') FROM jm_paths;

-- 3. k and active_after: 1..4, the same for every row
SELECT journey_model_agg(p, 0) FROM jm_paths;
SELECT journey_model_agg(p, 5) FROM jm_paths;
SELECT journey_model_agg(p, NULL) FROM jm_paths;
SELECT journey_model_agg(p, id % 2 + 1) FROM jm_paths;
SELECT journey_model_agg(p, 1, CASE WHEN length(p) = 1 THEN timestamptz '2024-01-01' ELSE '2024-02-01' END)
FROM jm_timed;
SELECT journey_model_agg(p, 1, NULL) FROM jm_timed;
SELECT journey_model_agg(p, 4) FROM jm_paths;

-- 4. || adds counts, same k only; one aggregate over all rows = || of parts
SELECT ((SELECT journey_model_agg(p, 2) FROM jm_paths WHERE id <= 2) || (SELECT journey_model_agg(p, 2) FROM jm_paths WHERE id > 2))::text
	= (SELECT journey_model_agg(p, 2) FROM jm_paths)::text AS merge_same_text;
SELECT (SELECT journey_model_agg(p, 1) FROM jm_paths) || (SELECT journey_model_agg(p, 2) FROM jm_paths);
-- || keeps a cut-off both sides share, else drops it
SELECT journey_model_agg(p, 1, '2024-03-01') || journey_model_agg(p, 1, '2024-03-01') FROM jm_timed;
SELECT journey_model_agg(p, 1, '2024-03-01') || journey_model_agg(p, 1) FROM jm_timed;

-- 5. text form: round trip, any order in, canonical out, under several settings
SELECT 'v1 k=1 {("x") -> $: 1, (^) -> "x": 1}'::journey_model;
SELECT 'v1 k=2 active_after="2024-03-01 10:30:00.5+00" {(^, ^) -> "a\"b": 2, (^, "a\"b") -> $: 2}'::journey_model;
-- the cut-off only in the canonical UTC form: another offset is 22P02
SELECT 'v1 k=2 active_after="2024-03-01 12:30:00.5+02" {(^, ^) -> "a\"b": 2, (^, "a\"b") -> $: 2}'::journey_model;
CREATE TABLE jm_text AS SELECT journey_model_agg(p, 1, '2024-03-01 10:00:00+00') AS m FROM jm_timed;
SET datestyle = 'SQL, DMY'; SET timezone = 'America/New_York'; SET intervalstyle = 'sql_standard';
SELECT m::text FROM jm_text;
SELECT m::text::journey_model::text = m::text AS round_trip FROM jm_text;
SET datestyle = 'German'; SET timezone = 'Asia/Kolkata';
SELECT m::text FROM jm_text;
SELECT m::text::journey_model::text = m::text AS round_trip FROM jm_text;
RESET datestyle; RESET intervalstyle; SET timezone = 'UTC';
SELECT journey_model_recv_check FROM (SELECT journey_model_send(m) = journey_model_send(m::text::journey_model) AS journey_model_recv_check FROM jm_text) s;
-- an empty model is valid: it predicts nothing
SELECT 'v1 k=3 {}'::journey_model, count(*) FROM predict_next('v1 k=3 {}', 'a');

-- 6. corrupt text: 22P02 with the place and the reason
SELECT 'v2 k=1 {}'::journey_model;
SELECT 'v1 k=5 {}'::journey_model;
SELECT 'v1 k=1 {(^) -> "a": 0}'::journey_model;
SELECT 'v1 k=1 {(^) -> "a": 99999999999999999999}'::journey_model;
SELECT 'v1 k=1 {(^) -> ^: 1}'::journey_model;
SELECT 'v1 k=1 {($) -> "a": 1}'::journey_model;
SELECT 'v1 k=2 {("a", ^) -> "a": 1}'::journey_model;
SELECT 'v1 k=2 {("a") -> "a": 1}'::journey_model;
SELECT 'v1 k=1 {(^) -> "a": 1, (^) -> "a": 2}'::journey_model;
SELECT 'v1 k=1 {(^) -> "a: 1}'::journey_model;
SELECT 'v1 k=1 {(^) -> "": 1}'::journey_model;
SELECT 'v1 k=1 {(^) -> "a": 1} x'::journey_model;
SELECT 'v1 k=1 active_after="yesterday" {}'::journey_model;
SELECT 'v1 k=1 {(^) -> a: 1}'::journey_model;

-- 7. binary form: send, and receive checking every rule (22P03)
SELECT journey_model_send('v1 k=1 {(^) -> "a": 1, ("a") -> $: 1}');
\i sql/include/write_copy_file.sql
CREATE TABLE jm_one (m journey_model);
SELECT journey_model_send('v1 k=1 {(^) -> "a": 1, ("a") -> $: 1}') AS b \gset
-- valid: the bytes above
SELECT pg_temp.write_copy_file(:'b', :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT m FROM jm_one;
-- unknown version, k = 0, unknown flags, a cut-off without its flag
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x02' from 1 for 1), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x00' from 2 for 1), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x0002' from 3 for 2), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x01' from 12 for 1), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
-- an empty label, labels out of order, a label in no transition
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x00' from 17 for 1), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(overlay(journey_model_send('v1 k=1 {(^) -> "a": 1, ("a") -> "b": 1, ("b") -> $: 1}')
	placing '\x620161' from 18 for 3), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x0000000201610162' from 13 for 6), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
-- an id past the labels, transitions out of order, a zero count
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x00000002' from 27 for 4), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(substring(:'b'::bytea from 1 for 22) || substring(:'b'::bytea from 39 for 16)
	|| substring(:'b'::bytea from 23 for 16), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x0000000000000000' from 31 for 8), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
-- the start after a label in a context (k = 2), cut short, bytes left over
SELECT pg_temp.write_copy_file(overlay(journey_model_send('v1 k=2 {(^, ^) -> "a": 1, (^, "a") -> $: 1}')
	placing '\x0000000100000000' from 43 for 8), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(substring(:'b'::bytea from 1 for 50), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(:'b'::bytea || '\x00'::bytea, :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT count(*) AS rows_loaded FROM jm_one;
