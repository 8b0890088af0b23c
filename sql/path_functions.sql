-- milestone_path functions, operators and operator classes
SET TimeZone = 'UTC';
CREATE TABLE pf (name text, p milestone_path);
INSERT INTO pf VALUES
	('anna', 'visit@2024-01-01 09:00+00 -> newsletter@2024-01-01 09:05+00 -> visit@2024-01-02 10:00+00 -> cart@2024-01-02 10:03+00 -> cart@2024-01-02 10:04+00 -> buy@2024-01-02 10:10+00 -> buy@2024-01-20 18:00+00 -> review@2024-01-25 12:00+00'),
	('ben', 'visit@2024-02-01 12:00+00 -> cart@2024-02-01 12:01+00'),
	('cleo', 'buy@2024-03-01 08:00+00'),
	('dan', ''),
	('eve', 'visit -> cart -> visit');

-- reading one path
SELECT name, length(p), milestones(p), last_milestone(p) FROM pf ORDER BY name;
SELECT name, milestone_at(p, 1) AS first, milestone_at(p, 2) AS second,
       milestone_at(p, -1) AS last, milestone_at(p, -2) AS before_last,
       milestone_at(p, 0) AS zero, milestone_at(p, 100) AS past_end, milestone_at(p, -100) AS before_start
FROM pf ORDER BY name;
-- reached_at: the first time; NULL when never reached or without times
SELECT name, reached_at(p, 'visit') AS visit, reached_at(p, 'buy') AS buy,
       reached_at(p, 'vip') AS vip FROM pf ORDER BY name;
-- time_between: first 'from' to the first 'to' after it
SELECT name,
       time_between(p, 'visit', 'buy') AS visit_to_buy,
       time_between(p, 'buy', 'buy') AS to_second_buy,
       time_between(p, 'newsletter', 'visit') AS newsletter_to_visit,
       time_between(p, 'buy', 'visit') AS buy_to_visit,
       time_between(p, 'cart', 'nothing') AS missing
FROM pf ORDER BY name;
-- transformations keep the times of the steps they keep
SELECT name, compact(p) FROM pf ORDER BY name;
SELECT name, first_reached(p) FROM pf ORDER BY name;
SELECT name, labels_only(p) FROM pf ORDER BY name;
SELECT compact('a -> a -> b -> a -> a'::milestone_path), first_reached('a -> a -> b -> a -> c -> b'::milestone_path);
-- NULL in, NULL out
SELECT length(NULL::milestone_path), milestone_at(NULL, 1), reached_at('a@2024-01-01', NULL), compact(NULL);

-- @>: the pattern's labels in order, gaps allowed, times ignored
SELECT name,
       p @> 'visit -> buy' AS visit_then_buy,
       p @> 'cart -> visit' AS cart_then_visit,
       p @> 'buy -> buy' AS bought_twice,
       p @> 'buy -> buy -> buy' AS bought_thrice,
       p @> 'visit@2030-01-01 -> cart@2030-01-02' AS times_ignored,
       p @> '' AS empty_pattern,
       'visit -> cart'::milestone_path <@ p AS contained
FROM pf ORDER BY name;
-- greedy matching never misses: the first 'a' must not be used for the second step
SELECT 'a -> b -> a -> c'::milestone_path @> 'a -> c', 'b -> a -> b'::milestone_path @> 'a -> b';

-- ||: merge by time; equal times by label, then the left path first
SELECT 'a@2024-01-01 -> c@2024-01-03'::milestone_path || 'b@2024-01-02 -> a@2024-01-03'::milestone_path;
SELECT 'x@2024-01-01'::milestone_path || 'x@2024-01-01'::milestone_path;
-- without times: appended; the empty path merges with anything
SELECT 'a -> b'::milestone_path || 'c -> a', ''::milestone_path || 'a@2024-01-01', 'a'::milestone_path || '';
-- merging the paths of two halves gives the path of all the rows
SELECT (SELECT milestone_path_agg(l, t) FROM (VALUES ('b', '2024-01-01'::timestamptz), ('a', '2024-01-03')) v(l, t))
       || (SELECT milestone_path_agg(l, t) FROM (VALUES ('a', '2024-01-01'::timestamptz), ('c', '2024-01-02')) v(l, t))
     = (SELECT milestone_path_agg(l, t) FROM (VALUES ('b', '2024-01-01'::timestamptz), ('a', '2024-01-03'),
                                                 ('a', '2024-01-01'), ('c', '2024-01-02')) v(l, t)) AS same;
\set VERBOSITY default
SELECT 'a -> b'::milestone_path || 'c@2024-01-01'::milestone_path;
\set VERBOSITY sqlstate
SELECT 'a -> b'::milestone_path || 'c@2024-01-01'::milestone_path;
\set VERBOSITY default

-- equality and the btree order: labels first, then without times before with, then times
SELECT 'a -> b'::milestone_path = ' a->b ', 'a -> b'::milestone_path = 'a@2024-01-01 -> b@2024-01-01',
       'a@2024-01-01'::milestone_path = 'a@2024-01-01 00:00:00+00', 'a@2024-01-01'::milestone_path <> 'a@2024-01-02';
SELECT p FROM (VALUES ('b'::milestone_path), ('a -> c'), ('a'), (''), ('a@2024-01-02'), ('a@2024-01-01'),
                      ('a -> b'), ('"a b"'), ('ab')) v(p)
ORDER BY p;
-- GROUP BY and DISTINCT work sorted and hashed
SET enable_hashagg = off;
SELECT labels_only(p) AS path, count(*) FROM (VALUES ('a@2024-01-01 -> b@2024-01-02'::milestone_path),
       ('a@2024-02-01 -> b@2024-02-05'), ('b'), ('a -> b')) v(p) GROUP BY 1 ORDER BY 1;
SET enable_hashagg = on; SET enable_sort = off;
SELECT labels_only(p) AS path, count(*) FROM (VALUES ('a@2024-01-01 -> b@2024-01-02'::milestone_path),
       ('a@2024-02-01 -> b@2024-02-05'), ('b'), ('a -> b')) v(p) GROUP BY 1 ORDER BY 2 DESC;
RESET enable_sort;
SELECT count(DISTINCT p) FROM (VALUES ('a -> b'::milestone_path), ('a->b'), ('b -> a')) v(p);
-- hash support is consistent with equality
SELECT milestone_path_hash('a -> b') = milestone_path_hash(' a -> b '),
       milestone_path_hash_extended('a -> b', 7) = milestone_path_hash_extended('a->b', 7);
-- a btree index and a hash index answer equality
-- (half the rows as patterns, half timed)
CREATE TABLE pf_idx AS
SELECT i, CASE WHEN i % 2 = 0 THEN labels_only(milestone_path_agg(l, t)) ELSE milestone_path_agg(l, t) END AS p
FROM (SELECT i, 'step' || (i % 7) AS l, '2024-01-01'::timestamptz + (i % 13) * interval '1 day' AS t FROM generate_series(1, 2000) i
      UNION ALL
      SELECT i, 'step' || (i % 11), '2024-01-01'::timestamptz + (i % 17) * interval '1 hour' FROM generate_series(1, 2000) i) s
GROUP BY i;
CREATE INDEX pf_idx_btree ON pf_idx (p);
SELECT count(*) FROM pf_idx WHERE p = 'step1 -> step1';
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM pf_idx WHERE p = 'step1 -> step1';
SELECT count(*) FROM pf_idx WHERE p = 'step1 -> step1';
DROP INDEX pf_idx_btree;
CREATE INDEX pf_idx_hash ON pf_idx USING hash (p);
EXPLAIN (COSTS OFF) SELECT count(*) FROM pf_idx WHERE p = 'step1 -> step1';
SELECT count(*) FROM pf_idx WHERE p = 'step1 -> step1';
RESET enable_seqscan;

-- GIN: WHERE p @> pattern uses the index and finds the rows a scan finds
CREATE INDEX pf_idx_gin ON pf_idx USING gin (p);
CREATE TABLE pf_patterns (q milestone_path);
INSERT INTO pf_patterns VALUES ('step3 -> step5'), ('step5 -> step3'), ('step2'), ('step6 -> step6'),
	('step4 -> step10'), ('nothing'), (''), ('step1 -> step1 -> step1');
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM pf_idx WHERE p @> 'step3 -> step5';
EXPLAIN (COSTS OFF) SELECT q, n FROM pf_patterns, LATERAL (SELECT count(*) AS n FROM pf_idx WHERE p @> q) c;
CREATE TABLE pf_by_index AS
SELECT q::text AS pattern, n FROM pf_patterns, LATERAL (SELECT count(*) AS n FROM pf_idx WHERE p @> q) c;
RESET enable_seqscan;
SET enable_bitmapscan = off; SET enable_indexscan = off;
EXPLAIN (COSTS OFF) SELECT q, n FROM pf_patterns, LATERAL (SELECT count(*) AS n FROM pf_idx WHERE p @> q) c;
SELECT pattern, i.n AS by_index, c.n AS by_scan
FROM pf_patterns JOIN pf_by_index i ON i.pattern = q::text,
     LATERAL (SELECT count(*) AS n FROM pf_idx WHERE p @> q) c
ORDER BY 1;
RESET enable_bitmapscan; RESET enable_indexscan;
DROP TABLE pf, pf_idx, pf_patterns, pf_by_index;
