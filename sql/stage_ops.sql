-- journey_stage comparison, sorting, hashing, indexes and min/max
SELECT 'wooing'::journey_stage < 'selling', 'selling'::journey_stage < 'honeymoon',
       'honeymoon'::journey_stage < 'bonding', 'bonding'::journey_stage < 'leadership';
SELECT 'bonding'::journey_stage = 'co-creation', 'bonding'::journey_stage <> 'bonding',
       'leadership'::journey_stage >= 'wooing', 'wooing'::journey_stage >= 'wooing',
       'selling'::journey_stage <= 'wooing', 'selling'::journey_stage > 'buying';
SELECT journey_stage_cmp('wooing', 'leadership'), journey_stage_cmp('bonding', 'bonding'),
       journey_stage_cmp('leadership', 'wooing');
-- NULL compares to NULL, as for built-in types
SELECT NULL::journey_stage = 'wooing';

CREATE TABLE stage_t (id int, s journey_stage);
INSERT INTO stage_t SELECT i, ((i * 7) % 5 + 1)::journey_stage FROM generate_series(1, 1000) i;
INSERT INTO stage_t VALUES (1001, NULL);
-- ORDER BY follows the lifecycle, not the alphabet
SELECT DISTINCT s FROM stage_t ORDER BY s;
SELECT s FROM stage_t GROUP BY s ORDER BY s DESC NULLS LAST;
-- hash aggregation and DISTINCT with hashing
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT s, count(*) FROM stage_t GROUP BY s;
SELECT s, count(*) FROM stage_t GROUP BY s ORDER BY 1;
RESET enable_sort;
-- hash join and merge join
CREATE TABLE stage_names AS SELECT stage AS s, rank FROM journey_stages();
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM stage_t JOIN stage_names USING (s);
SELECT count(*) FROM stage_t JOIN stage_names USING (s);
RESET enable_mergejoin; SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM stage_t JOIN stage_names USING (s);
SELECT count(*) FROM stage_t JOIN stage_names USING (s);
RESET enable_hashjoin; RESET enable_nestloop;
-- a btree index answers range conditions in lifecycle order
CREATE INDEX stage_t_s ON stage_t (s);
ANALYZE stage_t;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM stage_t WHERE s >= 'bonding';
SELECT count(*) FROM stage_t WHERE s >= 'bonding';
SELECT count(*) FROM stage_t WHERE s < 'selling';
-- a hash index
CREATE INDEX stage_t_h ON stage_t USING hash (s);
DROP INDEX stage_t_s;
EXPLAIN (COSTS OFF) SELECT count(*) FROM stage_t WHERE s = 'honeymoon';
SELECT count(*) FROM stage_t WHERE s = 'honeymoon';
RESET enable_seqscan;
-- min and max follow the lifecycle; NULLs ignored
SELECT min(s), max(s) FROM stage_t;
SELECT min(s), max(s) FROM stage_t WHERE id % 5 IN (0, 3);
SELECT min(s), max(s) FROM stage_t WHERE false;
-- in parallel plans too
CREATE TABLE stage_big AS SELECT i, ((i % 4) + 1)::journey_stage AS s FROM generate_series(1, 200000) i;
ANALYZE stage_big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT min(s), max(s) FROM stage_big;
SELECT min(s), max(s) FROM stage_big;
RESET ALL;
-- a hash of equal stages is equal, and seeded hashes differ by seed
SELECT journey_stage_hash('bonding') = journey_stage_hash('co-creation') AS same_hash,
       journey_stage_hash_extended('bonding', 0) <> journey_stage_hash_extended('bonding', 1) AS seeded;
DROP TABLE stage_t, stage_names, stage_big;
