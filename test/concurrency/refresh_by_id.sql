-- The WRONG watermark, for contrast: the highest serial id folded so far.
-- Ids are assigned before commit, so a load that commits after a refresh
-- with an id below the watermark is skipped forever.
BEGIN;
LOCK TABLE by_id_watermark IN EXCLUSIVE MODE;
WITH w AS (SELECT last_id FROM by_id_watermark),
new_rows AS (SELECT * FROM events WHERE id > (SELECT last_id FROM w)),
new_paths AS (SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM new_rows GROUP BY customer_id),
merged AS (
	INSERT INTO customer_paths_by_id AS c SELECT customer_id, p FROM new_paths WHERE p IS NOT NULL
	ON CONFLICT (customer_id) DO UPDATE SET p = c.p || excluded.p)
UPDATE by_id_watermark SET last_id = greatest(last_id, (SELECT max(id) FROM new_rows));
COMMIT;
