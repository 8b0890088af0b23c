-- the dashboard pattern: a daily funnel and session summary as a
-- materialized view with a unique index, refreshed CONCURRENTLY after new
-- events arrive
SET TimeZone = 'UTC';
CREATE TABLE mv_events (customer_id bigint, ts timestamptz, kind text);
INSERT INTO mv_events VALUES
	(1, '2026-03-01 09:00', 'visit'), (1, '2026-03-01 09:05', 'add_to_cart'), (1, '2026-03-01 09:20', 'purchase'),
	(2, '2026-03-01 10:00', 'visit'), (2, '2026-03-01 10:02', 'add_to_cart'),
	(3, '2026-03-01 11:00', 'visit'),
	(4, '2026-03-02 08:00', 'visit'), (4, '2026-03-02 08:50', 'visit'), (4, '2026-03-02 08:55', 'purchase');
-- one row per day: customers at each funnel step (same day), sessions and paths
CREATE MATERIALIZED VIEW daily_funnel AS
SELECT day,
	   funnel_counts(level, 3) AS customers_per_step,
	   sum((st).sessions) AS sessions,
	   count(*) FILTER (WHERE path @> 'add_to_cart -> purchase') AS cart_then_purchase
FROM (SELECT customer_id, date_trunc('day', ts) AS day,
			 window_funnel(interval '1 day', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']) AS level,
			 session_stats(ts, interval '30 minutes') AS st,
			 milestone_path_agg(kind, ts) AS path
	  FROM mv_events GROUP BY customer_id, date_trunc('day', ts)) per_customer
GROUP BY day;
CREATE UNIQUE INDEX ON daily_funnel (day);
SELECT * FROM daily_funnel ORDER BY day;
-- new events: customer 2 buys, customer 3 comes back an hour later, a new day starts
INSERT INTO mv_events VALUES
	(2, '2026-03-01 10:30', 'purchase'),
	(3, '2026-03-01 12:15', 'add_to_cart'),
	(5, '2026-03-03 07:00', 'visit'), (5, '2026-03-03 07:01', 'add_to_cart');
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_funnel;
-- 2026-03-01: 3 visitors, 3 carts, 2 buyers; 4 sessions (customer 3 twice);
-- 2026-03-02 unchanged; 2026-03-03 new
SELECT * FROM daily_funnel ORDER BY day;
-- the report a dashboard reads from the view
SELECT f.* FROM daily_funnel, funnel_table(customers_per_step, ARRAY['visit', 'add_to_cart', 'purchase']) f
WHERE day = '2026-03-01';
DROP MATERIALIZED VIEW daily_funnel;
DROP TABLE mv_events;
