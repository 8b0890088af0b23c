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

-- 2. the solver: a stiff chain solved directly (before: 54000 after 100,000
--    sweeps); on paper h(b) = 30001/60001, h(^) = h(a) = 30000/60001 (the
--    rounding of 30000/30001 itself leaves about 1e-12)
SELECT round(reach_probability(m, '', 'c', 1)::numeric, 10) AS from_start,
	   round(30000 / 60001.0, 10) AS on_paper,
	   abs(reach_probability(m, '', 'c', 1) - 30000 / 60001.0) < 1e-11 AS within_1e_11,
	   round(reach_probability(m, 'b', 'c', 1)::numeric, 10) AS from_b, round(30001 / 60001.0, 10) AS b_on_paper
FROM (SELECT 'v1 k=1 {(^) -> "a": 1, ("a") -> "b": 30000, ("a") -> $: 1, ("b") -> "a": 30000, ("b") -> "c": 1, ("c") -> $: 1}'::journey_model AS m) s;
-- removing a or b ends every path before c
SELECT * FROM removal_effects('v1 k=1 {(^) -> "a": 1, ("a") -> "b": 30000, ("a") -> $: 1, ("b") -> "a": 30000, ("b") -> "c": 1, ("c") -> $: 1}', 'c');
-- 200 such pairs (402 states: sweeps first, then a direct solve when they
-- would cost more): from the start, 30000/60001 again
CREATE TEMP TABLE jm_pairs AS
SELECT ('v1 k=1 {' || string_agg(format('(^) -> "a%s": 1, ("a%s") -> "b%s": 30000, ("a%s") -> $: 1, ("b%s") -> "a%s": 30000, ("b%s") -> "c": 1',
		i, i, i, i, i, i, i), ', ') || ', ("c") -> $: 1}')::journey_model AS m
FROM generate_series(1, 200) i;
SELECT abs(reach_probability(m, '', 'c', 1) - 30000 / 60001.0) < 1e-11 AS within_1e_11 FROM jm_pairs;
-- 1,500 pairs, 300000 to 1 (3,003 states: sweeps only, and they mix very
-- slowly): statement_timeout stops the solve (before: ignored)
CREATE TEMP TABLE jm_slow AS
SELECT ('v1 k=1 {' || string_agg(format('(^) -> "a%s": 1, ("a%s") -> "b%s": 300000, ("a%s") -> $: 1, ("b%s") -> "a%s": 300000, ("b%s") -> "c": 1',
		i, i, i, i, i, i, i), ', ') || ', ("c") -> $: 1}')::journey_model AS m
FROM generate_series(1, 1500) i;
SET statement_timeout = '500ms';
SELECT reach_probability(m, '', 'c', 1) FROM jm_slow;
RESET statement_timeout;

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

-- 4. order 0 (the back-off of last resort) leaves out the start state's
--    transitions: first steps are not what follows a step.  10 customers
--    a -> conv (ended), 10 a -> b still active (no end after b).  k = 1:
--    ^ -> a 20; a -> conv 10, a -> b 10; conv -> end 10; b has no row.
--    Order 0: conv 10, b 10, end 10 (not a 20 as well).  From b (backed
--    off to order 0): h0 = 1/3 + 1/3 h0, so h0 = 1/2; h(a) = 1/2 + 1/2 h0
--    = 3/4 = h(^).  (Before: order 0 had a 20 of 50: h(^) = 5/6.)
CREATE TEMP TABLE jm_active AS
SELECT journey_model_agg(p, 1, '2024-03-01') AS m
FROM (SELECT 'a@2024-01-01 -> conv@2024-01-02'::milestone_path AS p FROM generate_series(1, 10)
	  UNION ALL SELECT 'a@2024-01-01 -> b@2024-03-05' FROM generate_series(1, 10)) s;
SELECT round(reach_probability(m, '', 'conv')::numeric, 12) AS from_start,
	   round(reach_probability(m, 'a -> b', 'conv')::numeric, 12) AS from_b,
	   round(reach_probability(m, 'z', 'conv')::numeric, 12) AS unknown_label
FROM jm_active;
-- predict_next after b: order 0, b, conv and the end a third each (no a)
SELECT x.label, round(x.probability::numeric, 4) AS probability, x.support
FROM jm_active, predict_next(m, 'a -> b') x;
-- removal effects from 3/4: without a, 0 (effect 1); without b, h(a) = 1/2
-- (effect 1/3); shares 3/4 and 1/4
SELECT label, round(removal_effect::numeric, 12) AS removal_effect, round(share::numeric, 12) AS share
FROM jm_active, removal_effects(m, 'conv') ORDER BY label;
-- a model with first steps only has no order 0: an unknown context
-- predicts nothing and reaches nothing
SELECT count(*) AS candidates FROM predict_next('v1 k=1 {(^) -> $: 3}', 'x');
SELECT reach_probability('v1 k=2 {(^, ^) -> "a": 2, (^, "a") -> $: 2}', 'x', 'a') AS from_unknown;

-- 5. a cut-off before year 1 reads back as written (before: 22P02)
SELECT 'v1 k=1 active_after="0044-03-15 00:00:00+00 BC" {(^) -> "a": 1, ("a") -> $: 1}'::journey_model;
SELECT m::text AS m, m::text::journey_model::text = m::text AS round_trip, journey_model_send(m) = journey_model_send(m::text::journey_model) AS same_bytes
FROM (SELECT journey_model_agg(p, 1, timestamptz '0044-03-15 00:00:00+00 BC') AS m
	  FROM (VALUES ('a@0045-01-01 BC -> b@0040-01-01 BC'::milestone_path)) v(p)) s;
-- 1 BC is a leap year (astronomical year 0): its 29 February exists
SELECT 'v1 k=1 active_after="0001-02-29 12:00:00+00 BC" {(^) -> $: 1}'::journey_model;
-- the first and last instants of the timestamp range, and the infinities
SELECT 'v1 k=1 active_after="4714-11-24 00:00:00+00 BC" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="294276-12-31 23:59:59.999999+00" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="-infinity" {(^) -> $: 1}'::journey_model;
-- binary receive: a cut-off outside the timestamp range (2^63 - 2 microseconds), 22P03
SELECT journey_model_send('v1 k=1 active_after="2024-01-01 00:00:00+00" {(^) -> "a": 1, ("a") -> $: 1}') AS bt \gset
SELECT pg_temp.write_copy_file(overlay(:'bt'::bytea placing '\x7ffffffffffffffe' from 5 for 8), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
-- infinity (2^63 - 1) is a valid cut-off
SELECT pg_temp.write_copy_file(overlay(:'bt'::bytea placing '\x7fffffffffffffff' from 5 for 8), :'copyfile');
COPY jm_one FROM :'copyfile' (FORMAT binary);
SELECT m FROM jm_one WHERE m::text LIKE '%infinity%';

-- 6. the cut-off is read in its one canonical form, whatever DateStyle and
--    TimeZone say (before: the session's settings changed its meaning)
SET DateStyle = 'SQL, DMY';
SET timezone = 'America/New_York';
SELECT 'v1 k=1 active_after="2024-03-04 00:00:00+00" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="2024-03-04 00:00:00.25+00" {(^) -> $: 1}'::journey_model;
-- not canonical: 22P02 at the first wrong character
SELECT 'v1 k=1 active_after="03-04-2024 00:00:00+00" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="2024-03-04 00:00:00" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="20240304" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="2024-03-04T00:00:00+00" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="2024-03-04 00:00:00+01" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="2024-03-04 00:61:00+00" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="2024-03-04 00:00:00.1234567+00" {(^) -> $: 1}'::journey_model;
-- a day that does not exist, a time out of range
SELECT 'v1 k=1 active_after="2023-02-29 00:00:00+00" {(^) -> $: 1}'::journey_model;
SELECT 'v1 k=1 active_after="294277-01-01 00:00:00+00" {(^) -> $: 1}'::journey_model;
RESET DateStyle;
SET timezone = 'UTC';
-- so the input function is immutable
SELECT provolatile FROM pg_proc WHERE oid = 'journey_model_in'::regproc;

-- 7. the transition function called directly: 0A000 with a hint (before:
--    an internal error, XX000)
SELECT journey_model_agg_transfn(NULL, 'a -> b');
-- a NULL path is skipped, its k not compared with the group's, whatever
-- the row order (before: 22023 only when the NULL-path row came later)
SELECT journey_model_agg(p, k ORDER BY o) AS null_first FROM (VALUES (1, NULL::milestone_path, 1), (2, 'a', 2)) v(o, p, k);
SELECT journey_model_agg(p, k ORDER BY o) AS null_last FROM (VALUES (1, 'a'::milestone_path, 2), (2, NULL, 1)) v(o, p, k);
-- k itself is still checked on a NULL-path row
SELECT journey_model_agg(p, k ORDER BY o) FROM (VALUES (1, 'a'::milestone_path, 2), (2, NULL, 9)) v(o, p, k);

-- 8. (second adversarial pass) probabilities that round to 1 in doubles.
--    a loops on itself 10^17 times for each of its two exits, one to conv:
--    h(a) = 1/2 (before: 0, the solver took 1 - p(loop) = 0 and lost the
--    exits); a <-> b 10^17 each way, a -> conv 1, b -> end 1: h(a) =
--    (N + 1) / (2N + 1) = 1/2 in doubles (before: 1e-17)
SELECT round(reach_probability(m, 'a', 'conv', 1)::numeric, 12) AS loop_half
FROM (SELECT 'v1 k=1 {(^) -> "a": 1, ("a") -> "a": 100000000000000000, ("a") -> "conv": 1, ("a") -> $: 1, ("conv") -> $: 1}'::journey_model AS m) s;
SELECT round(reach_probability(m, 'b -> a', 'conv', 1)::numeric, 12) AS cycle_half
FROM (SELECT 'v1 k=1 {(^) -> "a": 1, ("a") -> "b": 100000000000000000, ("a") -> "conv": 1, ("b") -> "a": 100000000000000000, ("b") -> $: 1, ("conv") -> $: 1}'::journey_model AS m) s;
-- removal effects from that base (before: no rows, the base taken as 0):
-- without a or x nothing reaches conv (effect 1, shares 1/2 each)
SELECT label, round(removal_effect::numeric, 12) AS removal_effect, round(share::numeric, 12) AS share
FROM removal_effects('v1 k=1 {(^) -> "x": 1, ("x") -> "a": 1, ("a") -> "a": 100000000000000000, ("a") -> "conv": 1, ("a") -> $: 1, ("conv") -> $: 1}', 'conv')
ORDER BY label;

-- 9. (second adversarial pass) an empty path predicts from the start
--    state even when it was seen fewer than min_support times: 4 paths
--    a -> b give ^ -> a 4 (below the default 5), so the first step is a
--    (before: order 0, which holds no first steps: b 1/2 and the end 1/2)
SELECT label, probability, support
FROM predict_next((SELECT journey_model_agg(p) FROM (VALUES ('a -> b'::milestone_path), ('a -> b'), ('a -> b'), ('a -> b')) v(p)), '');
-- and the chance that a customer who has done nothing yet does a: 1
-- (before: 0 with the default min_support, 1 with min_support 1)
SELECT reach_probability((SELECT journey_model_agg(p) FROM (VALUES ('a -> b'::milestone_path), ('a -> b'), ('a -> b'), ('a -> b')) v(p)), '', 'a') AS reach_a;

-- 10. (third adversarial pass) chains of more than 256 states, solved by
--     sweeps, stopped on an estimate of the error taken from the sweeps'
--     changes; now they stop only when a lower and an upper bound meet.
--     x <-> y 10^16 each way, x -> l -> t, y -> end, beside n fillers
--     ^ -> c(i) -> end: h(x) = 1/2 whatever n (before: 2e-16 from n = 260,
--     266 states, where the direct solve no longer applies)
SELECT n, round(reach_probability(m, 'x', 't', 1)::numeric, 12) AS from_x
FROM (SELECT n, ('v1 k=1 {(^) -> "x": 1, ("x") -> "l": 1, ("l") -> "t": 1, ("t") -> $: 1, '
		|| '("x") -> "y": 10000000000000000, ("y") -> "x": 10000000000000000, ("y") -> $: 1, '
		|| string_agg(format('(^) -> "c%1$s": 1, ("c%1$s") -> $: 1', i), ', ') || '}')::journey_model AS m
	FROM (VALUES (250), (260)) v(n), generate_series(1, n) i GROUP BY n) s
ORDER BY n;
-- beside 3,000 fillers that cannot reach t, still only the states that
-- reach it count towards the direct solve's 2,000: 1/2 (before this rule:
-- refused, the sweeps alone unable to bound it; before 10: 2e-16)
SELECT round(reach_probability(('v1 k=1 {(^) -> "x": 1, ("x") -> "l": 1, ("l") -> "t": 1, ("t") -> $: 1, '
		|| '("x") -> "y": 10000000000000000, ("y") -> "x": 10000000000000000, ("y") -> $: 1, '
		|| string_agg(format('(^) -> "c%1$s": 1, ("c%1$s") -> $: 1', i), ', ') || '}')::journey_model, 'x', 't', 1)::numeric, 12) AS from_x
FROM generate_series(1, 3000) i;
-- when the 3,000 fillers reach t too, the sweeps cannot bound it: refused
SELECT reach_probability(('v1 k=1 {(^) -> "x": 1, ("x") -> "l": 1, ("l") -> "t": 1, ("t") -> $: 1, '
		|| '("x") -> "y": 10000000000000000, ("y") -> "x": 10000000000000000, ("y") -> $: 1, '
		|| string_agg(format('(^) -> "c%1$s": 1, ("c%1$s") -> "t": 1', i), ', ') || '}')::journey_model, 'x', 't', 1)
FROM generate_series(1, 3000) i;
-- a slow part (x <-> y 10^6 each way, x -> a 1, a -> t 1, a -> end 10^7)
-- beside a fast chain of n labels l(i) -> l(i+1) or the end: from x,
-- h(a) / (10^6 + 1 - 10^12 / (10^6 + 1)) with h(a) = 1 / (10^7 + 1), that
-- is 5.00000199999855e-08 (fractions), half that from the start (the chain
-- of l adds 2^-n); without a, only that chain reaches t (effect 1 - 2^-n /
-- 5e-8, 1.000000). Before, at n = 300: 4.1e-12 and 2.0e-12, a's effect 0.
WITH m AS (
	SELECT n, ('v1 k=1 {(^) -> "x": 1, (^) -> "l001": 1, '
		|| string_agg(format('("l%1$s") -> "l%2$s": 1, ("l%1$s") -> $: 1', lpad(i::text, 3, '0'), lpad((i + 1)::text, 3, '0')), ', ' ORDER BY i)
		|| format(', ("l%s") -> "t": 1, ("t") -> $: 1', lpad(n::text, 3, '0'))
		|| ', ("x") -> "a": 1, ("x") -> "y": 1000000, ("y") -> "x": 1000000, ("y") -> $: 1, ("a") -> "t": 1, ("a") -> $: 10000000}')::journey_model AS m
	FROM (VALUES (200), (300)) v(n), generate_series(1, n - 1) i GROUP BY n)
SELECT n, round((reach_probability(m, 'x', 't', 1) * 1e8)::numeric, 9) AS from_x_1e8,
	round((reach_probability(m, '', 't', 1) * 1e8)::numeric, 9) AS from_start_1e8,
	(SELECT round(removal_effect::numeric, 6) FROM removal_effects(m, 't') WHERE label = 'a') AS a_effect
FROM m ORDER BY n;

-- 11. (third adversarial pass) an empty path predicts from a start context
--     only, never from order 0; a model typed without any (^) context has
--     none: no rows, probability 0, no effects (before: order 0's b 1/2 and
--     the end 1/2, and 0.5)
SELECT * FROM predict_next('v1 k=1 {("a") -> "b": 10, ("b") -> $: 10}', '');
SELECT reach_probability('v1 k=1 {("a") -> "b": 10, ("b") -> $: 10}', '', 'b') AS reach_b;
SELECT * FROM removal_effects('v1 k=1 {("a") -> "b": 10, ("b") -> $: 10}', 'b');
-- a path ending in a still backs off to its context
SELECT * FROM predict_next('v1 k=1 {("a") -> "b": 10, ("b") -> $: 10}', 'a');

-- 12. (review of 10) removal effects are ratios of two probabilities, so
--     their solves are bounded relative to the start's probability, not
--     within 1e-12 absolute: with P(reach t) about 5e-12 from the start
--     (z takes nearly every path), the effects are still a 2/3, b 1/3, x 1,
--     y 0.9702, z 0, with or without the 300 fillers (before: a 0.571775).
SELECT n, label, round(removal_effect::numeric, 6) AS removal_effect
FROM (VALUES (10), (300)) v(n), LATERAL (
	SELECT label, removal_effect FROM removal_effects((
		SELECT ('v1 k=1 {(^) -> "x": 1, (^) -> "z": 100000000000, ("z") -> $: 1, ("x") -> "a": 1, ("x") -> "b": 1, ("x") -> "y": 98, ("y") -> "x": 99, ("y") -> $: 1, ("a") -> "t": 1, ("b") -> "t": 1, ("b") -> $: 1, ("t") -> $: 1, '
			|| string_agg(format('(^) -> "c%1$s": 1, ("c%1$s") -> $: 1', i), ', ') || '}')::journey_model
		FROM generate_series(1, n) i), 't')) r
WHERE label !~ '^c' ORDER BY n, label;
-- a ring of 1,990 labels, each leaving it once in 10^8: the sweeps' rounding
-- adds up around it, so their bounds stop apart (each value is moved outward
-- by its rounding) and the direct solve answers: b0 / (1 - a0 q^1989) with
-- a0 = 1999/2001, b0 = 1/2001, q = 99999999/10^8, 0.49025382389433214
-- (before: 0.4902538238468625, 5e-11 off, the bounds having met off it)
SELECT round(reach_probability(('v1 k=1 {(^) -> "r00000": 1, ("t") -> $: 1, ("r00000") -> "r00001": 1999, ("r00000") -> "t": 1, ("r00000") -> $: 1, '
	|| string_agg(format('("r%s") -> "r%s": 99999999, ("r%s") -> $: 1', lpad(i::text, 5, '0'), lpad(((i + 1) % 1990)::text, 5, '0'), lpad(i::text, 5, '0')), ', ' ORDER BY i)
	|| '}')::journey_model, '', 't', 1)::numeric, 13) AS ring
FROM generate_series(1, 1989) i;

-- 13. (second review of 10) past 2,000 states the sweeps kept a gap within
--     1e-9 once one sweep narrowed it by less than 1 %; one sweep each way
--     alternately, one of them may barely touch the widest gap: now two
--     sweeps must narrow it by less than 1 %.  A ring of 2,100 labels, each
--     ending once in 1,000 steps: b0 / (1 - a0 q^2099) with a0 = 100/102,
--     b0 = 1/102, q = 999/1000, 0.011141444077252309 (before: 7.3e-11 off)
SELECT round(reach_probability(('v1 k=1 {(^) -> "r0000": 1, ("t") -> $: 1, ("r0000") -> "r0001": 100, ("r0000") -> "t": 1, ("r0000") -> $: 1, '
	|| string_agg(format('("r%s") -> "r%s": 999, ("r%s") -> $: 1', lpad(i::text, 4, '0'), lpad(((i + 1) % 2100)::text, 4, '0'), lpad(i::text, 4, '0')), ', ' ORDER BY i)
	|| '}')::journey_model, '', 't', 1)::numeric, 14) AS ring_2100
FROM generate_series(1, 2099) i;
-- a P(reach t) of about 2e-323 from the start, below 2^-900, counts as 0:
-- no effects (before: b 0.5 and c 0.75, for 1/3 and 2/3, the solver's
-- relative rounding bounds failing on subnormal numbers)
SELECT label, removal_effect FROM removal_effects((
	SELECT ('v1 k=1 {(^) -> "a1": 1, ' || string_agg(format('("a%s") -> "a%s": 1, ("a%s") -> $: 510000000000000000', i, i + 1, i), ', ')
		|| ', ("a19") -> "b": 1, ("a19") -> "c": 2, ("a19") -> $: 100, ("b") -> "t": 1, ("c") -> "t": 1, ("t") -> $: 1, '
		|| (SELECT string_agg(format('(^) -> "f%s": 1, ("f%s") -> $: 1', j, j), ', ') FROM generate_series(1, 300) j) || '}')::journey_model
	FROM generate_series(1, 18) i), 't') WHERE label IN ('b', 'c');
