ALTER TABLE events ADD COLUMN loaded_by xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX ON events (loaded_by);
CREATE TABLE customer_paths (customer_id bigint PRIMARY KEY, p milestone_path NOT NULL);
CREATE TABLE customer_paths_refreshed (last_snapshot pg_snapshot NOT NULL);
INSERT INTO customer_paths_refreshed VALUES ('1:1:');  -- sees no transaction: the first refresh takes every row
