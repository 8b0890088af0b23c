-- Incremental refresh under concurrent loads (test/t_path_refresh.sh): the
-- events table, before the README's set-up (sql/include/path_refresh_setup.sql)
-- adds loaded_by; a serial id for the id watermark that must NOT be used
-- (customer_paths_by_id, refreshed by refresh_by_id.sql, shows it failing);
-- and a log of the snapshots the refreshes read with.
SET timezone = 'UTC';
CREATE TABLE events (id bigserial, customer_id bigint NOT NULL, ts timestamptz, kind text);
CREATE TABLE customer_paths_by_id (customer_id bigint PRIMARY KEY, p milestone_path NOT NULL);
CREATE TABLE by_id_watermark (last_id bigint NOT NULL);
INSERT INTO by_id_watermark VALUES (0);
CREATE TABLE refresh_log (snap pg_snapshot NOT NULL);
-- a maintained table against a full rebuild: customers, mismatches
CREATE FUNCTION refresh_mismatches(tab regclass, OUT customers bigint, OUT mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format($q$
		SELECT count(*), count(*) FILTER (WHERE c.p IS NULL OR r.p IS NULL OR c.p <> r.p
										  OR milestone_path_send(c.p) <> milestone_path_send(r.p)
										  OR c.p::text <> r.p::text)
		FROM %s c
		FULL JOIN (SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events GROUP BY customer_id) r
			USING (customer_id)
		WHERE c.p IS NOT NULL OR r.p IS NOT NULL$q$, tab) INTO customers, mismatches;
END $$;
