-- journey_model's questions checked by hand: predict_next (ranking, the
-- end, back-off), reach_probability and removal_effects solved on paper,
-- path_edges.
SET timezone = 'UTC';
CREATE TABLE jq_paths (id int, p milestone_path);
INSERT INTO jq_paths VALUES
	(1, 'a -> b -> c'), (2, 'a -> c'), (3, 'b'), (4, NULL), (5, 'a -> a -> b');
CREATE TABLE jq_models AS
	SELECT 1 AS k, journey_model_agg(p) AS m FROM jq_paths
	UNION ALL SELECT 2, journey_model_agg(p, 2) FROM jq_paths;

-- 1. predict_next, order 1: after a: b 2/4, then a and c 1/4 (label order)
SELECT k, x.* FROM jq_models, predict_next(m, 'a', 5, 1) x WHERE k = 1;
-- after b: the end (NULL) 2/3, c 1/3; n = 1 keeps the first
SELECT k, x.* FROM jq_models, predict_next(m, 'x -> b', 5, 1) x WHERE k = 1;
SELECT k, x.* FROM jq_models, predict_next(m, 'b', 1, 1) x WHERE k = 1;
-- an empty path predicts from the start: a 3/4, b 1/4
SELECT k, x.* FROM jq_models, predict_next(m, '', 3, 1) x WHERE k = 1;
-- an unknown last label backs off to order 0: the 9 transitions after a
-- step (the start's first steps left out): end 4, b 2, c 2 (ties by label), a 1
SELECT k, x.* FROM jq_models, predict_next(m, 'zzz', 3, 1) x WHERE k = 1;

-- 2. back-off, order 2: context (a, b) was seen 2 times: end 1, c 1
SELECT x.* FROM jq_models, predict_next(m, 'a -> b', 3, 1) x WHERE k = 2;
-- min_support 3: back off to (b), seen 3 times: end 2, c 1
SELECT x.* FROM jq_models, predict_next(m, 'a -> b', 3, 3) x WHERE k = 2;
-- min_support 4: (b) is too rare as well: order 0
SELECT x.* FROM jq_models, predict_next(m, 'a -> b', 3, 4) x WHERE k = 2;
-- the default min_support is 5: here always order 0
SELECT x.* FROM jq_models, predict_next(m, 'a -> b') x WHERE k = 2;
-- NULL path: no rows; bad n and min_support
SELECT count(*) FROM jq_models, predict_next(m, NULL) x;
SELECT x.* FROM jq_models, predict_next(m, 'a', -1) x;
SELECT x.* FROM jq_models, predict_next(m, 'a', 3, 0) x;
SELECT count(*) FROM jq_models, predict_next(m, 'a', 0) x;

-- 3. reach_probability on paper, 3 channels and a conversion:
--   ^ -> search 3/5, email 1/5, display 1/5
--   search -> email 1/3, display 1/3, conv 1/3;  email -> conv 2/3, end 1/3
--   display -> email 1/2, end 1/2;  conv -> end
-- h(email) = 2/3, h(display) = 1/3, h(search) = 1/3 h(email) + 1/3 h(display) + 1/3 = 2/3
-- h(^) = 3/5 * 2/3 + 1/5 * 2/3 + 1/5 * 1/3 = 3/5
CREATE TABLE jq_channels AS
	SELECT journey_model_agg(p) AS m FROM (VALUES
		('search -> email -> conv'::milestone_path), ('search -> display'), ('email -> conv'),
		('display -> email'), ('search -> conv')) v(p);
SELECT round(reach_probability(m, '', 'conv')::numeric, 12) AS from_start,
	   round(reach_probability(m, 'search', 'conv', 1)::numeric, 12) AS after_search,
	   round(reach_probability(m, 'x -> display', 'conv', 1)::numeric, 12) AS after_display,
	   round(reach_probability(m, 'email', 'conv', 1)::numeric, 12) AS after_email,
	   reach_probability(m, 'search -> conv', 'conv', 1) AS after_conv,
	   reach_probability(m, 'search', 'nowhere', 1) AS unknown_target,
	   reach_probability(m, NULL, 'conv') AS null_path
FROM jq_channels;
-- back-off: search was seen 3 times, fewer than the default 5: order 0 (the
-- 11 transitions after a step, first steps left out: email 2, display 1,
-- conv 3, end 5), then order 1: 2/11 * 2/3 + 1/11 * 1/3 + 3/11 = 14/33
SELECT round(reach_probability(m, 'search', 'conv')::numeric, 12) AS backed_off,
	   round(14 / 33.0, 12) AS on_paper
FROM jq_channels;
-- reaching the last step's label again: after a, a again with 1/4 (order 1 model of part 1)
SELECT reach_probability(m, 'a', 'a', 1) AS again FROM jq_models WHERE k = 1;

-- 4. removal effects of the 3-channel example, on paper:
--   without search: 1/5 * 2/3 + 1/5 * 1/3 = 1/5, effect (3/5 - 1/5) / (3/5) = 2/3
--   without email: h(search) = 1/3, P = 3/5 * 1/3 = 1/5, effect 2/3
--   without display: h(search) = 5/9, P = 3/5 * 5/9 + 1/5 * 2/3 = 7/15, effect 2/9
--   shares 3/7, 3/7, 1/7
SELECT label, round(removal_effect::numeric, 12) AS removal_effect, round(share::numeric, 12) AS share
FROM jq_channels, removal_effects(m, 'conv') ORDER BY label;
SELECT round(2 / 3.0, 12) AS two_thirds, round(2 / 9.0, 12) AS two_ninths, round(3 / 7.0, 12) AS three_sevenths,
	   round(1 / 7.0, 12) AS one_seventh;
-- P(reach) = 0 or an unknown target: no rows
SELECT count(*) FROM removal_effects('v1 k=1 {(^) -> "a": 1, ("a") -> $: 1, (^) -> "b": 1, ("b") -> $: 1}', 'zzz');
SELECT count(*) FROM removal_effects('v1 k=1 {(^) -> "a": 1, ("a") -> $: 1, (^) -> "b": 1, ("b") -> $: 1, ("c") -> "b": 1}', 'c');
-- k = 2: removing a label redirects every transition into it.  At order 2
-- display never leads to conv (search -> display ends, display -> email
-- ends): effect 0; search and email 2/3 each as at order 1, shares 1/2
SELECT label, round(removal_effect::numeric, 6) AS removal_effect, round(share::numeric, 6) AS share
FROM (SELECT journey_model_agg(p, 2) AS m FROM (VALUES
		('search -> email -> conv'::milestone_path), ('search -> display'), ('email -> conv'),
		('display -> email'), ('search -> conv')) v(p)) s, removal_effects(m, 'conv') ORDER BY label;

-- 5. path_edges: the first max_steps transitions, from start_label's first step
SELECT * FROM path_edges('a -> b -> b -> c -> a -> d');
SELECT * FROM path_edges('a -> b -> b -> c -> a -> d', 2);
SELECT * FROM path_edges('a -> b -> b -> c -> a -> d', 10, 'b');
SELECT * FROM path_edges(compact('a -> b -> b -> c -> a -> d'), start_label => 'b');
SELECT count(*) FROM path_edges('a -> b', 5, 'zzz');
SELECT count(*) FROM path_edges('a', 5);
SELECT count(*) FROM path_edges(NULL);
SELECT * FROM path_edges('a -> b', 0);
SELECT * FROM path_edges('a -> b', NULL);
-- a NULL path refuses the same max_steps (an adversarial pass's: before, a
-- NULL path with 0 gave no rows, with NULL the error)
SELECT * FROM path_edges(NULL, 0);
SELECT * FROM path_edges(NULL, NULL);
-- counted over paths for a flow chart
SELECT e.step, e.source, e.target, count(*) AS paths
FROM jq_paths, path_edges(p) e GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- 6. a model straight from the aggregate, one per group, in the same call
--    site: each group's own answer (the cache compares the model's bytes)
SELECT g, (SELECT string_agg(coalesce(label, '(end)') || ' ' || round(probability::numeric, 2), ', ')
		   FROM predict_next(journey_model_agg(p), 'a', 3, 1)) AS after_a
FROM (VALUES (1, 'a -> b'::milestone_path), (1, 'a -> c'), (2, 'a -> a'), (3, 'a')) v(g, p)
GROUP BY g ORDER BY g;
-- a model from a scalar subquery, over many paths: the same as a stored one
SELECT (SELECT sum(x.support) FROM jq_paths j, predict_next((SELECT journey_model_agg(p) FROM jq_paths), j.p, 3, 1) x)
	 = (SELECT sum(x.support) FROM jq_paths j, jq_models m, predict_next(m.m, j.p, 3, 1) x WHERE m.k = 1) AS same;
