-- pgbench: a load held open for 50 to 400 ms, so that refreshes run (and
-- later loads commit) while it is open: it commits after them, with a lower
-- transaction id and lower serial ids than rows they already folded
\set c random(1, 300)
\set m random(0, 14400)
\set s random(50, 400)
BEGIN;
INSERT INTO events (customer_id, ts, kind)
SELECT :c + g % 2, '2026-03-01'::timestamptz + (:m - 60 * g) * interval '1 minute', 'open'
FROM generate_series(1, 3) g;
SELECT pg_sleep(:s / 1000.0);
INSERT INTO events (customer_id, ts, kind) VALUES (:c, '2026-03-01'::timestamptz + :m * interval '1 minute', 'visit');
COMMIT;
