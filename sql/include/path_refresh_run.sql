BEGIN;
LOCK TABLE customer_paths_refreshed IN EXCLUSIVE MODE;  -- one refresh at a time, waiting before its snapshot
WITH last AS (SELECT last_snapshot AS s FROM customer_paths_refreshed),
new_paths AS (
    SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events
    WHERE loaded_by >= (SELECT pg_snapshot_xmin(s) FROM last)          -- an index range
      AND NOT pg_visible_in_snapshot(loaded_by, (SELECT s FROM last))   -- committed since
    GROUP BY customer_id),
merged AS (
    INSERT INTO customer_paths AS c SELECT customer_id, p FROM new_paths
    WHERE p IS NOT NULL                           -- every new row skipped: keep the stored path
    ON CONFLICT (customer_id) DO UPDATE SET p = c.p || excluded.p)
UPDATE customer_paths_refreshed SET last_snapshot = pg_current_snapshot();  -- what this statement saw
COMMIT;
