-- milestone_path_agg: rows in any order to a path; checked against plain SQL
SET TimeZone = 'UTC';
CREATE TABLE pa (customer int, label text, at timestamptz);
INSERT INTO pa VALUES
	(1, 'visit', '2024-01-01 10:00'), (1, 'buy', '2024-01-01 10:05'), (1, 'cart', '2024-01-01 10:05'),
	(1, 'visit', '2024-01-01 09:00'), (1, 'cart', '2024-01-02 00:00'),
	(1, NULL, '2024-01-01 08:00'), (1, 'ghost', NULL),
	(2, 'visit', '2024-01-03'), (2, 'visit', '2024-01-03'),
	(3, NULL, '2024-01-01'), (3, 'x', NULL);
-- ordered by time, equal times by label, repeats kept, NULL rows skipped, no row left: NULL
SELECT customer, milestone_path_agg(label, at) FROM pa GROUP BY customer ORDER BY customer;
-- input order does not matter
SELECT milestone_path_agg(label, at ORDER BY at DESC, label DESC) = milestone_path_agg(label, at ORDER BY label, at)
FROM pa WHERE customer = 1;
-- no rows: NULL
SELECT milestone_path_agg(label, at) IS NULL AS is_null FROM pa WHERE false;
-- as a window aggregate (running path)
SELECT at, label, milestone_path_agg(label, at) OVER (ORDER BY at, label) FROM pa WHERE customer = 1 AND label IS NOT NULL AND at IS NOT NULL;
-- ties go by label bytes ("C" order: upper case first)
SELECT milestone_path_agg(l, '2024-01-01') FROM (VALUES ('b'), ('B'), ('a'), ('ab'), ('é')) v(l);
-- bad rows: an empty or over-long label, an infinite time (22023)
\set VERBOSITY default
SELECT milestone_path_agg(l, '2024-01-01') FROM (VALUES ('ok'), ('')) v(l);
SELECT milestone_path_agg(repeat('x', 256), now());
SELECT milestone_path_agg('late', 'infinity');
\set VERBOSITY sqlstate
SELECT milestone_path_agg('', now());
SELECT milestone_path_agg('late', '-infinity');
-- past the step limit: 54000
SELECT length(milestone_path_agg('a', '2024-01-01')) FROM generate_series(1, 1000000);
SELECT length(milestone_path_agg('a', '2024-01-01')) FROM generate_series(1, 1000001);
\set VERBOSITY default

-- random customers: the aggregate and the functions against plain SQL
SELECT setseed(0.5);
CREATE TABLE pr AS
SELECT c AS customer,
       (ARRAY['visit', 'cart', 'buy', 'review', 'Newsletter', 'vip event', 'a"b', 'café'])[1 + floor(random() * 8)::int] AS label,
       '2024-01-01'::timestamptz + floor(random() * 40)::int * interval '1 minute' AS at
FROM generate_series(1, 1500) c, generate_series(1, 1 + (c % 23));
INSERT INTO pr SELECT customer, NULL, at FROM pr WHERE customer % 10 = 0;
CREATE TABLE pr_path AS SELECT customer, milestone_path_agg(label, at) AS p FROM pr GROUP BY customer;
-- steps in SQL order: time, then label bytes
CREATE TABLE pr_steps AS
SELECT customer, label, at, row_number() OVER w AS n,
       lag(label) OVER w AS previous_label,
       row_number() OVER (PARTITION BY customer, label ORDER BY at, label COLLATE "C") AS occurrence
FROM pr WHERE label IS NOT NULL
WINDOW w AS (PARTITION BY customer ORDER BY at, label COLLATE "C");
CREATE INDEX ON pr_steps (customer, label);
ANALYZE pr_steps;
-- the path, its labels, its JSON, and each step by number
SELECT count(*) AS customers,
       count(*) FILTER (WHERE milestones(p) = (SELECT array_agg(label ORDER BY n) FROM pr_steps s WHERE s.customer = pr_path.customer)) AS same_labels,
       count(*) FILTER (WHERE p = (SELECT milestone_path(json_agg(json_build_object('label', label, 'at', at) ORDER BY n))
                                   FROM pr_steps s WHERE s.customer = pr_path.customer)) AS same_as_json_built,
       count(*) FILTER (WHERE p::text::milestone_path = p AND p::json::milestone_path = p) AS round_trips
FROM pr_path;
SELECT count(*) AS differing_steps FROM pr_steps s JOIN pr_path USING (customer) WHERE milestone_at(p, n::int) <> s.label;
-- compact and first_reached
SELECT count(*) FILTER (WHERE milestones(compact(p)) = (SELECT array_agg(label ORDER BY n) FROM pr_steps s
                          WHERE s.customer = pr_path.customer AND label IS DISTINCT FROM previous_label)) AS same_compact,
       count(*) FILTER (WHERE milestones(first_reached(p)) = (SELECT array_agg(label ORDER BY n) FROM pr_steps s
                          WHERE s.customer = pr_path.customer AND occurrence = 1)) AS same_first_reached
FROM pr_path;
-- reached_at and time_between
SELECT count(*) AS checked,
       count(*) FILTER (WHERE reached_at(p, l) IS NOT DISTINCT FROM
                        (SELECT min(at) FROM pr_steps s WHERE s.customer = pr_path.customer AND s.label = l)) AS same_reached_at,
       count(*) FILTER (WHERE time_between(p, l, m) IS NOT DISTINCT FROM
                        (SELECT min(t.at) - min(f.at) FROM pr_steps f JOIN pr_steps t USING (customer)
                         WHERE f.customer = pr_path.customer AND f.label = l AND t.label = m AND t.n > f.n
                           AND f.n = (SELECT min(n) FROM pr_steps x WHERE x.customer = f.customer AND x.label = l))) AS same_time_between
FROM pr_path, (VALUES ('visit'), ('buy'), ('café')) a(l), (VALUES ('buy'), ('visit'), ('a"b')) b(m);
-- @> against a self-join: some step l followed later by some step m
SELECT count(*) AS checked,
       count(*) FILTER (WHERE (p @> milestone_path(json_build_array(json_build_object('label', l), json_build_object('label', m))))
                        = EXISTS (SELECT FROM pr_steps f JOIN pr_steps t USING (customer)
                                  WHERE f.customer = pr_path.customer AND f.label = l AND t.label = m AND t.n > f.n)) AS same_contains
FROM pr_path, (VALUES ('visit'), ('cart'), ('vip event')) a(l), (VALUES ('buy'), ('review'), ('cart')) b(m);
-- || of the paths of two halves is the path of all rows
CREATE TABLE pr_split AS SELECT *, random() < 0.5 AS first_half FROM pr;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE coalesce(a, '') || coalesce(b, '') = pr_path.p) AS merge_equals_whole
FROM pr_path JOIN (SELECT customer,
                          milestone_path_agg(label, at) FILTER (WHERE first_half) AS a,
                          milestone_path_agg(label, at) FILTER (WHERE NOT first_half) AS b
                   FROM pr_split GROUP BY customer) h USING (customer);

-- parallel and hashed plans give the serial answer
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT milestone_path_agg(label, at) FROM pr;
SELECT milestone_path_agg(label, at) = (SELECT milestone_path_agg(label, at ORDER BY at) FROM pr) AS parallel_equals_serial FROM pr;
EXPLAIN (COSTS OFF) SELECT customer, milestone_path_agg(label, at) FROM pr GROUP BY customer;
SELECT count(*) AS differing FROM (SELECT customer, milestone_path_agg(label, at) AS p FROM pr GROUP BY customer) par
FULL JOIN pr_path USING (customer) WHERE par.p IS DISTINCT FROM pr_path.p;
RESET parallel_leader_participation;
SET enable_sort = off;
SELECT count(*) AS differing FROM (SELECT customer, milestone_path_agg(label, at) AS p FROM pr GROUP BY customer) par
FULL JOIN pr_path USING (customer) WHERE par.p IS DISTINCT FROM pr_path.p;
RESET enable_sort;
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
DROP TABLE pa, pr, pr_path, pr_steps, pr_split;
