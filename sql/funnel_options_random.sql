-- funnel() on random customers: reached and step_at equal window_funnel's without exclusions and
-- any_order (every mode); exclusions against a brute-force enumeration of chains in SQL; the path form
SET timezone = 'UTC';
SELECT setseed(0.31);
-- 6000 customers of 1 to 8 rows over 12 minutes: events a, b, c (steps), r, s (excluded), x
CREATE TABLE for_rows AS
SELECT c, row_number() OVER () AS id,
       timestamptz '2026-01-01' + (random() * 12)::int * interval '1 minute' AS ts,
       (ARRAY['a', 'b', 'c', 'r', 's', 'x', 'a', 'b', 'c'])[1 + floor(random() * 9)::int] AS e
FROM generate_series(1, 6000) c, generate_series(1, 1 + c % 8);
CREATE INDEX ON for_rows (c);

-- 1. no exclusion, no any_order: window_funnel's answer in every mode combination
CREATE TABLE for_modes AS
SELECT string_agg(w, ', ' ORDER BY i) AS m
FROM (SELECT bits FROM generate_series(0, 31) bits) b
LEFT JOIN LATERAL (SELECT i, w FROM unnest(ARRAY['strict_order', 'strict_deduplication', 'strict_increase', 'first_entry', 'allow_reentry']) WITH ORDINALITY u(w, i)
				   WHERE (bits >> (i::int - 1)) & 1 = 1) ww ON true
GROUP BY bits;
SELECT count(*) AS mode_lists, sum(differing) AS differing
FROM for_modes, LATERAL (
	SELECT count(*) FILTER (WHERE (f).reached IS DISTINCT FROM wf OR (f).step_at IS DISTINCT FROM wft OR (f).excluded) AS differing
	FROM (SELECT funnel(interval '4 minutes', ts, e, ARRAY['a', 'b', 'c'], coalesce(m, '')) AS f,
				 window_funnel(interval '4 minutes', coalesce(m, ''), ts, e, ARRAY['a', 'b', 'c']) AS wf,
				 window_funnel_times(interval '4 minutes', coalesce(m, ''), ts, e, ARRAY['a', 'b', 'c']) AS wft
		  FROM for_rows GROUP BY c) g) d;

-- 2. exclusions against every chain, enumerated (default mode: rows in time order, distinct, within the window)
CREATE TABLE for_chains AS
WITH RECURSIVE ch(c, k, ids, first, last, times) AS (
	SELECT c, 1, ARRAY[id], ts, ts, ARRAY[ts] FROM for_rows WHERE e = 'a'
	UNION ALL
	SELECT ch.c, ch.k + 1, ch.ids || r.id, ch.first, r.ts, ch.times || r.ts
	FROM ch JOIN for_rows r ON r.c = ch.c AND r.e = (ARRAY['a', 'b', 'c'])[ch.k + 1] AND r.ts >= ch.last
		AND r.ts - ch.first <= interval '4 minutes' AND r.id <> ALL (ch.ids)
	WHERE ch.k < 3)
SELECT DISTINCT c, k, first, last, times FROM ch;
-- an exclusion (event, i, j) excludes a chain reaching i: the event strictly between steps i and j,
-- or when the chain stops before j, strictly after step i up to and including first + window
CREATE FUNCTION pg_temp.chain_excluded(cust int, k int, first timestamptz, times timestamptz[], ev text, i int, j int)
RETURNS bool LANGUAGE sql AS $$
	SELECT k >= i AND EXISTS (SELECT FROM for_rows WHERE for_rows.c = cust AND for_rows.e = ev AND for_rows.ts > times[i]
							  AND CASE WHEN k >= j THEN for_rows.ts < times[j] ELSE for_rows.ts <= first + interval '4 minutes' END) $$;
CREATE TABLE for_brute AS
SELECT cust.c,
	   coalesce(max(ch.k), 0) AS all_level,
	   coalesce(max(ch.k) FILTER (WHERE NOT (pg_temp.chain_excluded(ch.c, ch.k, ch.first, ch.times, 'r', 2, 3)
										  OR pg_temp.chain_excluded(ch.c, ch.k, ch.first, ch.times, 's', 1, 2))), 0) AS kept_level,
	   coalesce(max(ch.k) FILTER (WHERE NOT pg_temp.chain_excluded(ch.c, ch.k, ch.first, ch.times, 'r', 1, 3)), 0) AS kept_13
FROM (SELECT DISTINCT c FROM for_rows) cust LEFT JOIN for_chains ch USING (c) GROUP BY cust.c;
-- the kept chain's times: the earliest finish, then the latest start, among the furthest kept for_chains
CREATE TABLE for_brute_times AS
SELECT DISTINCT ON (b.c) b.c, ch.first, ch.last
FROM for_brute b JOIN for_chains ch ON ch.c = b.c AND ch.k = b.kept_level
WHERE NOT (pg_temp.chain_excluded(ch.c, ch.k, ch.first, ch.times, 'r', 2, 3)
		   OR pg_temp.chain_excluded(ch.c, ch.k, ch.first, ch.times, 's', 1, 2))
ORDER BY b.c, ch.last, ch.first DESC;
CREATE TABLE for_got AS
SELECT c, funnel(interval '4 minutes', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between 2 and 3, exclude s between 1 and 2') AS f,
	   funnel(interval '4 minutes', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between 1 and 3') AS f13
FROM for_rows GROUP BY c;
-- excluded: for some exclusion (i = 1 or 2), for_chains reach i and none of them is kept
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE (f).excluded) AS excluded,
	   count(*) FILTER (WHERE NOT (f).excluded AND (f).reached < b.all_level) AS shortened,
	   count(*) FILTER (WHERE (f).excluded IS DISTINCT FROM (b.kept_level < 1 AND b.all_level >= 1 OR b.kept_level < 2 AND b.all_level >= 2)
						   OR (NOT (f).excluded AND (f).reached IS DISTINCT FROM b.kept_level)) AS differing,
	   count(*) FILTER (WHERE (f13).excluded IS DISTINCT FROM (b.kept_13 < 1 AND b.all_level >= 1)
						   OR (NOT (f13).excluded AND (f13).reached IS DISTINCT FROM b.kept_13)) AS differing_13,
	   count(*) FILTER (WHERE NOT (f).excluded AND (f).reached > 0
						   AND ((f).step_at[1] IS DISTINCT FROM t.first OR (f).step_at[(f).reached] IS DISTINCT FROM t.last)) AS times_differing
FROM for_got JOIN for_brute b USING (c) LEFT JOIN for_brute_times t USING (c);

-- 3. the path form equals the aggregate, with options
SELECT count(*) AS differing
FROM (SELECT c, milestone_path_agg(e, ts) AS p,
			 funnel(interval '4 minutes', ts, e, ARRAY['a', 'b', 'c'], 'exclude r between 2 and 3, strict_order') AS f1,
			 funnel(interval '4 minutes', ts, e, ARRAY['a', 'b', 'c'], 'any_order, exclude s between 1 and 3') AS f2
	  FROM for_rows GROUP BY c) g
WHERE funnel(p, interval '4 minutes', ARRAY['a', 'b', 'c'], 'exclude r between 2 and 3, strict_order') IS DISTINCT FROM f1
   OR funnel(p, interval '4 minutes', ARRAY['a', 'b', 'c'], 'any_order, exclude s between 1 and 3') IS DISTINCT FROM f2;

DROP TABLE for_rows, for_modes, for_chains, for_brute, for_brute_times, for_got;
