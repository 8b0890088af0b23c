-- pgbench: a short load, 4 rows for customers c .. c + 2 at minute
-- granularity over 10 days (ties, late and out-of-order rows), one of six
-- labels a NULL (a row the aggregate skips)
\set c random(1, 300)
\set m random(0, 14400)
\set k random(0, 5)
INSERT INTO events (customer_id, ts, kind)
SELECT :c + g % 3, '2026-03-01'::timestamptz + (:m + 7 * g) * interval '1 minute',
	   (ARRAY['visit', 'view', 'cart', 'buy', 'review', NULL])[1 + (:k + g) % 6]
FROM generate_series(1, 4) g;
