-- customer_paths against a full rebuild: customers with a path on either
-- side and the steps stored (each beside its count from the events: the
-- customers and rows with a label and a time), and the mismatches by =, by
-- the binary form and by the text form
SELECT count(*) AS customers,
       (SELECT count(DISTINCT customer_id) FROM events WHERE kind IS NOT NULL AND ts IS NOT NULL) AS with_rows,
       sum(length(c.p)) AS steps,
       (SELECT count(*) FROM events WHERE kind IS NOT NULL AND ts IS NOT NULL) AS usable_rows,
       count(*) FILTER (WHERE c.p IS NULL OR r.p IS NULL OR c.p <> r.p
                        OR milestone_path_send(c.p) <> milestone_path_send(r.p)
                        OR c.p::text <> r.p::text) AS mismatches
FROM customer_paths c
FULL JOIN (SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events GROUP BY customer_id) r
    USING (customer_id)
WHERE c.p IS NOT NULL OR r.p IS NOT NULL;
