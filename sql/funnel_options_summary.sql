-- funnel_summary_agg, funnel_summary_table, funnel_histogram: a hand-computed report, exact
-- percentiles against SQL's percentile_cont, text round trips, parallel plans, query patterns
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
-- five customers: steps visit, cart, buy
CREATE TABLE fs (c int, m int, e text, ch text);
CREATE VIEW fsv AS SELECT c, timestamptz '2026-01-05 00:00' + m * interval '1 minute' AS ts, e, ch FROM fs;
INSERT INTO fs VALUES
	(1, 0, 'visit', 'ads'), (1, 2, 'cart', NULL), (1, 3, 'buy', NULL),          -- 2 min, 1 min
	(2, 0, 'visit', 'web'), (2, 4, 'cart', NULL), (2, 4, 'buy', NULL),          -- 4 min, 0 min (zero-length counts)
	(3, 0, 'visit', 'ads'), (3, 10, 'cart', NULL),                              -- 10 min, stops
	(4, 0, 'visit', 'web'),                                                     -- stops at 1
	(5, 0, 'visit', 'ads'), (5, 1, 'refund', NULL), (5, 2, 'cart', NULL), (5, 3, 'buy', NULL), -- excluded
	(6, 0, 'browse', 'web');                                                    -- reaches 0
CREATE TABLE fsr AS
SELECT c, funnel(interval '1 hour', ts, e, ARRAY['visit', 'cart', 'buy'], 'exclude refund between 1 and 3, breakdown first_touch', ch) AS r
FROM fsv GROUP BY c;
SELECT c, (r).reached, (r).excluded, (r).breakdown FROM fsr ORDER BY c;
-- customers 1..4 reach 1; 1, 2, 3 reach 2; 1, 2 reach 3; 5 excluded, 6 at 0
SELECT funnel_summary_agg(r ORDER BY c) FROM fsr;
-- cart: times 2, 4, 10 min: avg 5:20, median 4, p90 = 4 + 0.8 * 6 = 8:48; buy: 1, 0 min: avg 0:30,
-- median 0:30, p90 0:54; from visit to buy: 3, 4 min -> median 3:30
SELECT * FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsr), ARRAY['visit', 'cart', 'buy']);
-- without labels: steps up to the furthest reached, named step k
SELECT step, label, customers FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsr));
-- more labels than steps reached: the missing step has 0 customers
SELECT step, label, customers, pct_of_previous, median_from_first
FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsr), ARRAY['visit', 'cart', 'buy', 'review', NULL]);
-- histogram visit -> cart: 3 times (2, 4, 10 min), bins ceil(cbrt 3) = 2, width 4 min
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), 1, 2);
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), 1, 2, 3);
-- one time only (buy after cart, 1 min and 0 min -> two): 2 bins of ceil(60 s / 2) = 30 s
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), 2, 3);
-- all times equal: one bin of 60 s
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr WHERE c = 1), 1, 3);
-- nobody reached the step: no rows; NULL summary: no rows
SELECT count(*) FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), 3, 4);
SELECT count(*) FROM funnel_histogram(NULL, 1, 2);
SELECT count(*) FROM funnel_summary_table(NULL);
-- a summary of no rows is NULL; of only excluded customers has no steps
SELECT funnel_summary_agg(r) IS NULL AS empty FROM fsr WHERE false;
SELECT funnel_summary_agg(r) FROM fsr WHERE c = 5;
SELECT count(*) FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsr WHERE c = 5));

-- errors
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), 2, 2);
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), 0, 2);
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), 1, 65);
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), 1, 2, 0);
SELECT * FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsr), NULL, 2);
SELECT * FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsr), ARRAY['visit', 'cart']);
SELECT funnel_summary_agg(ROW(2, false, ARRAY[timestamptz '2026-01-01 00:01', '2026-01-01 00:00'], NULL)::funnel_result);
SELECT funnel_summary_agg(ROW(3, false, ARRAY[timestamptz '2026-01-01 00:01'], NULL)::funnel_result);
SELECT funnel_summary_agg(ROW(2, false, ARRAY[timestamptz '2026-01-01', 'infinity'], NULL)::funnel_result);
SELECT funnel_summary_agg(ROW(65, false, NULL, NULL)::funnel_result);
SELECT 'v2;excluded=0;counts=1'::funnel_summary;
SELECT 'v1;excluded=0;counts=0,0,2;2=5'::funnel_summary;
SELECT 'v1;excluded=0;counts=0,0,0,1;2=;3=5,4'::funnel_summary;
SELECT 'v1;excluded=-1;counts=0'::funnel_summary;
SELECT 'v1;excluded=0;counts=0;'::funnel_summary;
SELECT 'v1;excluded=99999999999999999999;counts=0'::funnel_summary;
SELECT 'v1;excluded=0;counts=0,0,1;2=5'::funnel_summary;

-- random customers: the report equals the same report in SQL with percentile_cont and avg
SELECT setseed(0.19);
CREATE TABLE fsrand AS
SELECT c, timestamptz '2026-01-05' + (random() * 20000)::int * interval '1 second' AS ts,
       (ARRAY['a', 'b', 'c', 'd', 'x'])[1 + (random() * 4.999)::int] AS e,
       (ARRAY['ads', 'web', 'mail'])[1 + (random() * 2.999)::int] AS ch
FROM generate_series(1, 3000) c, generate_series(1, 1 + (c % 9));
CREATE TABLE fsrr AS
SELECT c, funnel(interval '3 hours', ts, e, ARRAY['a', 'b', 'c', 'd'], 'exclude x between 2 and 4') AS r
FROM fsrand GROUP BY c;
SELECT count(*) FILTER (WHERE (r).excluded) > 0 AS some_excluded, count(*) FILTER (WHERE (r).reached = 4) > 0 AS some_complete FROM fsrr;
CREATE TABLE fs_by_sql AS
WITH steps AS (SELECT k FROM generate_series(1, 4) k),
     d AS (SELECT k, (r).step_at[k] - (r).step_at[k - 1] AS prev, (r).step_at[k] - (r).step_at[1] AS from_first
           FROM fsrr, steps WHERE NOT (r).excluded AND (r).reached >= k AND k > 1)
SELECT s.k AS step,
       (SELECT count(*) FROM fsrr WHERE NOT (r).excluded AND (r).reached >= s.k) AS customers,
       avg(prev) AS avg_prev, percentile_cont(0.5) WITHIN GROUP (ORDER BY prev) AS med_prev,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY prev) AS p90_prev,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY from_first) AS med_first
FROM steps s LEFT JOIN d ON d.k = s.k GROUP BY s.k;
SELECT t.step, t.customers = q.customers AS customers,
       t.avg_from_previous IS NOT DISTINCT FROM q.avg_prev AS avg,
       t.median_from_previous IS NOT DISTINCT FROM q.med_prev AS median,
       t.p90_from_previous IS NOT DISTINCT FROM q.p90_prev AS p90,
       t.median_from_first IS NOT DISTINCT FROM q.med_first AS median_first
FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsrr), ARRAY['a', 'b', 'c', 'd']) t
JOIN fs_by_sql q USING (step) ORDER BY step;
-- the histogram's counts add up to the customers reaching the step
SELECT sum(customers) = (SELECT count(*) FROM fsrr WHERE (r).reached >= 3 AND NOT (r).excluded) AS all_counted,
       count(*) AS bins, bool_and(bin_end - bin_start = (SELECT bin_end - bin_start FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsrr), 1, 3) LIMIT 1)) AS equal_widths
FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM fsrr), 1, 3);

-- text round trip: the same text under other DateStyle, IntervalStyle and TimeZone
CREATE TABLE fstext AS SELECT funnel_summary_agg(r ORDER BY c)::text AS t FROM fsrr;
SET datestyle = 'SQL, DMY'; SET intervalstyle = 'iso_8601'; SET timezone = 'Asia/Kathmandu';
SELECT t::funnel_summary::text = t AS round_trip, (SELECT funnel_summary_agg(r ORDER BY c)::text FROM fsrr) = t AS same_text FROM fstext;
SET datestyle = 'German'; SET intervalstyle = 'sql_standard'; SET timezone = 'America/St_Johns';
SELECT t::funnel_summary::text = t AS round_trip FROM fstext;
SELECT median_from_first FROM funnel_summary_table((SELECT t::funnel_summary FROM fstext)) WHERE step = 2;
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';

-- parallel plans: funnel() partial states serialized and combined; funnel_summary_agg combined
CREATE TABLE fsserial AS SELECT c, funnel(interval '3 hours', ts, e, ARRAY['a', 'b', 'c', 'd'], 'exclude x between 2 and 4, breakdown step 2', ch) AS r FROM fsrand GROUP BY c;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
-- few groups, so that each group has rows in several workers
EXPLAIN (COSTS OFF) SELECT c % 3, funnel(interval '3 hours', ts, e, ARRAY['a', 'b', 'c', 'd'], 'exclude x between 2 and 4, breakdown step 2', ch) FROM fsrand GROUP BY 1;
SELECT count(*) AS differing FROM (
	SELECT c % 3 AS g, funnel(interval '3 hours', ts, e, ARRAY['a', 'b', 'c', 'd'], 'exclude x between 2 and 4, breakdown step 2', ch) AS r FROM fsrand GROUP BY 1) p
JOIN (SELECT g, funnel(interval '3 hours', ts, e, ARRAY['a', 'b', 'c', 'd'], 'exclude x between 2 and 4, breakdown step 2', ch ORDER BY ts) AS r
	  FROM (SELECT c % 3 AS g, * FROM fsrand) x GROUP BY g) s USING (g)
WHERE p.r IS DISTINCT FROM s.r;
SET enable_hashagg = off;
SELECT count(*) AS differing FROM (SELECT c, funnel(interval '3 hours', ts, e, ARRAY['a', 'b', 'c', 'd'], 'exclude x between 2 and 4, breakdown step 2', ch) AS r FROM fsrand GROUP BY c) p
JOIN fsserial s USING (c) WHERE p.r IS DISTINCT FROM s.r;
RESET enable_hashagg;
EXPLAIN (COSTS OFF) SELECT funnel_summary_agg(r) FROM fsrr;
CREATE TABLE fspar AS SELECT * FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsrr), ARRAY['a', 'b', 'c', 'd']);
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS differing FROM (
	(SELECT * FROM fspar EXCEPT SELECT * FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsrr), ARRAY['a', 'b', 'c', 'd']))
	UNION ALL
	(SELECT * FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM fsrr), ARRAY['a', 'b', 'c', 'd']) EXCEPT SELECT * FROM fspar)) d;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET parallel_leader_participation;

-- query patterns of the reference
-- trends by entry week (one more customer entering the next week)
WITH all_r AS (
	SELECT r FROM fsr
	UNION ALL
	SELECT funnel(interval '1 hour', ts, e, ARRAY['visit', 'cart', 'buy'])
	FROM (VALUES (timestamptz '2026-01-12 10:00', 'visit'), ('2026-01-12 10:05', 'cart')) v(ts, e))
SELECT g.week, t.step, t.customers, t.pct_of_first, t.median_from_first
FROM (SELECT date_trunc('week', (r).step_at[1]) AS week, funnel_summary_agg(r) AS s
	  FROM all_r WHERE (r).reached >= 1 GROUP BY 1) g
CROSS JOIN LATERAL funnel_summary_table(g.s, ARRAY['visit', 'cart', 'buy']) t
ORDER BY 1, 2;
-- people who dropped off after step 2
SELECT c FROM fsr WHERE (r).reached = 2 ORDER BY c;
-- hold a property constant (Amplitude): every step with the same channel = group by customer and channel
SELECT c, ch, (funnel(interval '1 hour', ts, e, ARRAY['a', 'b'])).reached
FROM (VALUES (1, 0, 'a', 'ads'), (1, 1, 'b', 'web'), (2, 0, 'a', 'web'), (2, 1, 'b', 'web')) v(c, m, e, ch)
CROSS JOIN LATERAL (SELECT timestamptz '2026-01-05' + m * interval '1 minute' AS ts) t
GROUP BY c, ch ORDER BY c, ch;

DROP VIEW fsv;
DROP TABLE fs, fsr, fsrand, fsrr, fs_by_sql, fstext, fsserial, fspar;
