-- journey_model: the defects found by the adversarial pass (issue 17), one
-- section each, every one failing before its fix.
SET timezone = 'UTC';

-- 1. a running window aggregate frees the flat copy of the previous row's
--    model: memory stays bounded (before the fix: +80 MB for 1,500 rows,
--    one flat model of up to 1,500 transitions kept per row)
CREATE FUNCTION pg_temp.peak_kb() RETURNS bigint LANGUAGE sql AS
	$$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint $$;
CREATE TEMP TABLE jm_leak AS
SELECT i AS cid, ('l' || (i % 300) || ' -> m' || (i * 7 % 300) || ' -> n' || (i % 11))::milestone_path AS p
FROM generate_series(1, 1500) i;
SELECT pg_temp.peak_kb() AS before \gset
SELECT count(m) FROM (SELECT journey_model_agg(p, 2) OVER (ORDER BY cid) m FROM jm_leak) z;
SELECT pg_temp.peak_kb() - :before < 16384 AS bounded;

-- 3. the counts of a model must add up to at most 2^63 - 1, so that every
--    sum the questions take fits (before the fix: negative probabilities)
-- text input: 22P02 at the second count
SELECT 'v1 k=1 {(^) -> "a": 9223372036854775807, (^) -> "b": 9223372036854775807, ("a") -> $: 1, ("b") -> $: 1}'::journey_model;
-- exactly 2^63 - 1 in all is fine: (^) -> a has probability 1
SELECT context, next, transitions, probability
FROM journey_transitions('v1 k=1 {(^) -> "a": 9223372036854775806, ("a") -> $: 1}');
-- ||: each model fits, the sum does not (22003)
SELECT 'v1 k=1 {(^) -> "a": 5000000000000000000, ("a") -> $: 1}'::journey_model
	|| 'v1 k=1 {(^) -> "b": 5000000000000000000, ("b") -> $: 1}';
-- binary receive: two counts of 2^63 - 1 (each valid alone), 22P03
\i sql/include/write_copy_file.sql
CREATE TEMP TABLE jm_one (m journey_model);
SELECT journey_model_send('v1 k=1 {(^) -> "a": 1, ("a") -> $: 1}') AS b \gset
SELECT pg_temp.write_copy_file(overlay(overlay(:'b'::bytea placing '\x7fffffffffffffff' from 31 for 8)
	placing '\x7fffffffffffffff' from 47 for 8), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
-- one of them alone is fine
SELECT pg_temp.write_copy_file(overlay(:'b'::bytea placing '\x7ffffffffffffffe' from 31 for 8), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT m FROM jm_one;

-- 5. binary receive: a cut-off outside the timestamp range (2^63 - 2 microseconds), 22P03 (before: stored, then ::text failed)
SELECT journey_model_send('v1 k=1 active_after="2024-01-01 00:00:00+00" {(^) -> "a": 1, ("a") -> $: 1}') AS bt \gset
SELECT pg_temp.write_copy_file(overlay(:'bt'::bytea placing '\x7ffffffffffffffe' from 5 for 8), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
-- infinity (2^63 - 1) is a valid cut-off
SELECT pg_temp.write_copy_file(overlay(:'bt'::bytea placing '\x7fffffffffffffff' from 5 for 8), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT m FROM jm_one WHERE m::text LIKE '%infinity%';
