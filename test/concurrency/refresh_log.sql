-- after a refresh: log the snapshot it stored (the check counts the loads
-- that were still open then and committed later)
INSERT INTO refresh_log SELECT last_snapshot FROM customer_paths_refreshed;
