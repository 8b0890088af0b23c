-- Storing paths (README "Storing paths", doc/paths.md): customer_paths kept
-- current by appending only the events committed since the last refresh,
-- with the README's SQL verbatim (sql/include/path_refresh_setup.sql and
-- path_refresh_run.sql; test/t_path_refresh.sh checks that the README
-- still shows exactly these lines).  Ten batches with late,
-- out-of-order, tied, duplicate, skipped and rolled-back rows and new
-- customers; after each refresh the table must equal a full rebuild
-- byte for byte (sql/include/path_refresh_compare.sql).
--
-- The comparison can fail: checked by hand while writing this test, a
-- watermark on event time (fold the rows with ts later than the latest
-- time folded so far) gives 157 mismatches at batch 2 (its late events are
-- never folded) and 266 after batch 10.  Watermarks on a serial id or a
-- load time, or an off-by-one on the snapshot's xmin, fail only when loads
-- commit out of order, which one session cannot do: the interleaving check
-- in test/t_path_refresh.sh shows an id watermark failing there.
SET TimeZone = 'UTC';
CREATE TABLE events (customer_id bigint NOT NULL, ts timestamptz, kind text);
-- the set-up and the refresh, as in the README
\i sql/include/path_refresh_setup.sql

-- batch 1: the first load; hand-made customers 1 to 3 and 1000 random rows
-- for customers 100 to 299 over 10 days, at whole hours (so ties happen)
INSERT INTO events (customer_id, ts, kind) VALUES
	(1, '2026-03-01 09:00', 'visit'), (1, '2026-03-01 09:05', 'cart'), (1, '2026-03-01 09:20', 'buy'),
	(2, '2026-03-01 10:00', 'visit'), (2, '2026-03-01 10:02', 'cart'),
	(3, '2026-03-01 11:00', 'visit');
SELECT setseed(0.15);
INSERT INTO events (customer_id, ts, kind)
SELECT 100 + floor(random() * 200)::int, '2026-03-01'::timestamptz + floor(random() * 240)::int * interval '1 hour',
       (ARRAY['visit', 'view', 'cart', 'buy', 'review'])[1 + floor(random() * 5)::int]
FROM generate_series(1, 1000);
-- the first refresh takes every row: all 203 customers
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql

-- batch 2: late events, before every stored step (customer 1 the day
-- before, customer 2 a minute before), and 300 random rows on the first day
INSERT INTO events (customer_id, ts, kind) VALUES
	(1, '2026-02-28 08:00', 'visit'), (2, '2026-03-01 09:59', 'newsletter');
INSERT INTO events (customer_id, ts, kind)
SELECT 100 + floor(random() * 200)::int, '2026-03-01'::timestamptz + floor(random() * 24)::int * interval '1 hour',
       (ARRAY['visit', 'view', 'cart', 'buy', 'review'])[1 + floor(random() * 5)::int]
FROM generate_series(1, 300);
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql
SELECT p FROM customer_paths WHERE customer_id IN (1, 2) ORDER BY customer_id;

-- batch 3: out of order, between stored steps, inserted latest first
INSERT INTO events (customer_id, ts, kind) VALUES
	(1, '2026-03-01 09:15', 'visit'), (1, '2026-03-01 09:10', 'cart'), (1, '2026-03-01 09:01', 'review');
INSERT INTO events (customer_id, ts, kind)
SELECT * FROM (
	SELECT 100 + floor(random() * 200)::int AS c, '2026-03-01'::timestamptz + floor(random() * 240)::int * interval '1 hour' AS t,
	       (ARRAY['visit', 'view', 'cart', 'buy', 'review'])[1 + floor(random() * 5)::int] AS k
	FROM generate_series(1, 300)) r
ORDER BY t DESC;
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql

-- batch 4: at the same instant as stored steps: the same label (customer
-- 1's cart at 09:05, customer 2's cart, customer 3's visit) and other
-- labels sorting before and after it ('Cart' and 'aaa' before 'cart' in
-- byte order, 'zzz' after); and a copy of a tenth of the stored random rows,
-- half with their own label, half with another one
INSERT INTO events (customer_id, ts, kind) VALUES
	(1, '2026-03-01 09:05', 'cart'), (1, '2026-03-01 09:05', 'zzz'), (1, '2026-03-01 09:05', 'aaa'),
	(1, '2026-03-01 09:05', 'Cart'), (2, '2026-03-01 10:02', 'cart'), (3, '2026-03-01 11:00', 'visit');
INSERT INTO events (customer_id, ts, kind)
SELECT customer_id, ts, CASE WHEN random() < 0.5 THEN kind ELSE 'tie' END
FROM events WHERE customer_id >= 100 AND random() < 0.1;
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql
SELECT p FROM customer_paths WHERE customer_id = 1;

-- batch 5: repeated rows in one batch (customer 3's visit at 11:00 three
-- more times), new customers 4 and 5, and 50 new random customers (300 to
-- 349) whose every row is loaded twice
INSERT INTO events (customer_id, ts, kind) VALUES
	(3, '2026-03-01 11:00', 'visit'), (3, '2026-03-01 11:00', 'visit'), (3, '2026-03-01 11:00', 'visit'),
	(4, '2026-03-02 08:00', 'visit'), (5, '2026-03-02 08:30', 'signup');
INSERT INTO events (customer_id, ts, kind)
SELECT c, t, k FROM (
	SELECT 300 + n % 50 AS c, '2026-03-01'::timestamptz + floor(random() * 240)::int * interval '1 hour' AS t,
	       (ARRAY['visit', 'view', 'cart', 'buy', 'review'])[1 + floor(random() * 5)::int] AS k
	FROM generate_series(0, 249) n) r, generate_series(1, 2);
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql
SELECT customer_id, p FROM customer_paths WHERE customer_id BETWEEN 3 AND 5 ORDER BY customer_id;

-- batch 6: rows the aggregate skips.  Every new row of customer 1 has a
-- NULL label or time, so its new path is NULL and must not wipe the stored
-- one (p || NULL is NULL); new customer 6 has only such rows (no path, as
-- in the rebuild); customer 2 has one of each
INSERT INTO events (customer_id, ts, kind) VALUES
	(1, '2026-03-01 12:00', NULL), (1, NULL, 'ghost'), (6, '2026-03-01 12:00', NULL),
	(2, '2026-03-01 12:00', NULL), (2, '2026-03-01 12:00', 'buy');
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql
SELECT customer_id, length(p) FROM customer_paths WHERE customer_id IN (1, 2, 6) ORDER BY customer_id;

-- batch 7: nothing new: the refresh changes nothing
SELECT md5(string_agg(milestone_path_send(p)::text, ',' ORDER BY customer_id)) AS before FROM customer_paths \gset
\i sql/include/path_refresh_run.sql
SELECT md5(string_agg(milestone_path_send(p)::text, ',' ORDER BY customer_id)) = :'before' AS unchanged FROM customer_paths;
\i sql/include/path_refresh_compare.sql

-- batch 8: a transaction that rolls back (never folded), and
-- subtransactions: loaded_by is the top transaction's id, so rows of a
-- released savepoint or of a plpgsql block that succeeded come in with
-- their transaction, and rows of a rolled-back one never exist
BEGIN;
INSERT INTO events (customer_id, ts, kind) VALUES (4, '2026-03-02 09:00', 'rolled_back');
ROLLBACK;
BEGIN;
INSERT INTO events (customer_id, ts, kind) VALUES (5, '2026-03-02 09:00', 'kept');
SAVEPOINT a;
INSERT INTO events (customer_id, ts, kind) VALUES (5, '2026-03-02 09:01', 'undone');
ROLLBACK TO SAVEPOINT a;
SAVEPOINT b;
INSERT INTO events (customer_id, ts, kind) VALUES (5, '2026-03-02 09:02', 'released');
RELEASE SAVEPOINT b;
COMMIT;
DO $$
BEGIN
	BEGIN
		INSERT INTO events (customer_id, ts, kind) VALUES (5, '2026-03-02 09:03', 'in_block');
	EXCEPTION WHEN division_by_zero THEN NULL;
	END;
	BEGIN
		INSERT INTO events (customer_id, ts, kind) VALUES (5, '2026-03-02 09:04', 'failed_block');
		PERFORM 1 / 0;
	EXCEPTION WHEN division_by_zero THEN NULL;
	END;
END $$;
INSERT INTO events (customer_id, ts, kind) VALUES (4, '2026-03-02 09:00', 'buy');
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql
SELECT customer_id, p FROM customer_paths WHERE customer_id IN (4, 5) ORDER BY customer_id;

-- batch 9: customer 7 reaches 200 distinct labels (one byte per step in
-- its path); 300 late random rows, some for new customers 350 to 359
INSERT INTO events (customer_id, ts, kind)
SELECT 7, '2026-03-01'::timestamptz + n * interval '1 minute', 'm' || lpad(n::text, 3, '0')
FROM generate_series(1, 200) n;
INSERT INTO events (customer_id, ts, kind)
SELECT 100 + floor(random() * 260)::int, '2026-03-01'::timestamptz + floor(random() * 48)::int * interval '1 hour',
       (ARRAY['visit', 'view', 'cart', 'buy', 'review'])[1 + floor(random() * 5)::int]
FROM generate_series(1, 300);
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql

-- batch 10: 150 more distinct labels for customer 7, between and at the
-- times of its stored steps: the merged path has 350 labels (two bytes per
-- step), and its label numbers change; 300 more random rows
INSERT INTO events (customer_id, ts, kind)
SELECT 7, '2026-03-01'::timestamptz + (2 * n) * interval '30 seconds', 'n' || lpad(n::text, 3, '0')
FROM generate_series(1, 150) n;
INSERT INTO events (customer_id, ts, kind)
SELECT 100 + floor(random() * 260)::int, '2026-03-01'::timestamptz + floor(random() * 240)::int * interval '1 hour',
       (ARRAY['visit', 'view', 'cart', 'buy', 'review', 'tie'])[1 + floor(random() * 6)::int]
FROM generate_series(1, 300);
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql
SELECT length(p), cardinality(ARRAY(SELECT DISTINCT unnest(milestones(p)))) AS labels,
       nth_milestone(p, 1) AS first, nth_milestone(p, 2) AS second, nth_milestone(p, 3) AS third,
       nth_milestone(p, -1) AS last
FROM customer_paths WHERE customer_id = 7;
-- the hand-made customers, in full
SELECT customer_id, p FROM customer_paths WHERE customer_id <= 6 ORDER BY customer_id;
-- the state moved on from the initial snapshot
SELECT last_snapshot::text <> '1:1:' AS advanced FROM customer_paths_refreshed;

-- append-only: a deleted event (customer 1's review) and a corrected one
-- (customer 2's newsletter relabelled; the UPDATE keeps loaded_by) stay as
-- they were in the stored paths, 2 mismatches, until a rebuild
DELETE FROM events WHERE customer_id = 1 AND kind = 'review';
UPDATE events SET kind = 'newsletter_2' WHERE customer_id = 2 AND kind = 'newsletter';
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql
-- (the rebuild and the check of doc/paths.md)
BEGIN;
LOCK TABLE customer_paths_refreshed IN EXCLUSIVE MODE;
DELETE FROM customer_paths;
WITH rebuilt AS (
    INSERT INTO customer_paths
    SELECT customer_id, milestone_path_agg(kind, ts) FROM events GROUP BY customer_id
    HAVING milestone_path_agg(kind, ts) IS NOT NULL)
UPDATE customer_paths_refreshed SET last_snapshot = pg_current_snapshot();
COMMIT;
\i sql/include/path_refresh_compare.sql
SELECT count(*) AS customers, count(*) FILTER (WHERE c.p IS DISTINCT FROM r.p) AS mismatches
FROM customer_paths c
FULL JOIN (SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events GROUP BY customer_id
           HAVING milestone_path_agg(kind, ts) IS NOT NULL) r USING (customer_id);
-- and the refresh goes on from the rebuild's snapshot
INSERT INTO events (customer_id, ts, kind) VALUES (1, '2026-03-01 09:30', 'review');
\i sql/include/path_refresh_run.sql
\i sql/include/path_refresh_compare.sql

-- the materialized-view form, as in the README: the same paths (customer 6
-- has a NULL one there, since the view keeps every customer)
CREATE MATERIALIZED VIEW customer_paths_mv AS
SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events GROUP BY customer_id;
CREATE UNIQUE INDEX ON customer_paths_mv (customer_id);           -- CONCURRENTLY needs it
REFRESH MATERIALIZED VIEW CONCURRENTLY customer_paths_mv;         -- rereads every event
INSERT INTO events (customer_id, ts, kind) VALUES (8, '2026-03-03 10:00', 'visit'), (1, '2026-02-27 10:00', 'ad_click');
REFRESH MATERIALIZED VIEW CONCURRENTLY customer_paths_mv;
\i sql/include/path_refresh_run.sql
SELECT count(*) AS customers, count(*) FILTER (WHERE m.p IS NULL) AS null_in_view,
       count(*) FILTER (WHERE c.p IS DISTINCT FROM m.p AND m.p IS NOT NULL) AS mismatches
FROM customer_paths c FULL JOIN customer_paths_mv m USING (customer_id);

-- doc/paths.md: statistics on a dashboard's grouping expression tell the
-- planner how many groups it makes (the levels, not one a customer)
CREATE STATISTICS customer_paths_funnel_levels
    ON (window_funnel(p, interval '1 day', ARRAY['visit', 'cart', 'purchase'])) FROM customer_paths;
ANALYZE customer_paths;
SELECT e.n_distinct > 0 AND e.n_distinct <= 4 AS levels_counted,
       (SELECT count(DISTINCT window_funnel(p, interval '1 day', ARRAY['visit', 'cart', 'purchase']))
        FROM customer_paths) < (SELECT count(*) FROM customer_paths) AS fewer_than_paths
FROM pg_stats_ext_exprs e WHERE e.statistics_name = 'customer_paths_funnel_levels';
DROP STATISTICS customer_paths_funnel_levels;

DROP MATERIALIZED VIEW customer_paths_mv;
DROP TABLE events, customer_paths, customer_paths_refreshed;
