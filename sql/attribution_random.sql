-- attribution() on thousands of random conversions (fixed seed) against an
-- independent reference in plain SQL over the rows the paths were built
-- from: eligibility by comparing times, touch order by (time, label
-- COLLATE "C"), exact shares as integer fractions in numeric, floors and
-- remainders with div() and mod(), the leftover units to the largest
-- remainders (earliest first) by rank.  Labels repeat and times tie often
-- (half-day grid), conversions fall on the grid too (touches exactly at
-- the conversion and at the lookback boundary), values have 0 to 4
-- decimals.  Then: every additive model sums to the value exactly,
-- time_decay is within one unit of its float share, participation is one
-- row per label, and a parallel plan gives the serial answer.
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.18);

CREATE TABLE attr_rt AS
SELECT c AS cid,
	   (ARRAY['ads', 'email', 'seo', 'direct', 'social', 'B', 'a'])[1 + floor(random() * 7)::int] AS label,
	   timestamptz '2024-01-01' + floor(random() * 24) * interval '12 hours' AS ts
FROM generate_series(1, 3000) AS c,
	 LATERAL generate_series(1, floor(random() * 14)::int + 0 * c) AS k;
CREATE TABLE attr_paths AS
SELECT cid, milestone_path_agg(label, ts) AS p FROM attr_rt GROUP BY cid;

-- one to three conversions per customer (customers without touches too)
CREATE TABLE attr_conv AS
SELECT row_number() OVER (ORDER BY c, k) AS conv_id, c AS cid,
	   timestamptz '2024-01-01' + floor(random() * 28) * interval '12 hours'
		 + CASE WHEN random() < 0.2 THEN interval '1 hour' ELSE interval '0' END AS at,
	   CASE WHEN random() < 0.05 THEN 0
			ELSE round((random() * 1000)::numeric, (c % 5)::int) END AS value,
	   (ARRAY[interval '0', '12 hours', '3 days', '10 days', '30 days', '30 days'])[1 + floor(random() * 6)::int] AS lookback
FROM generate_series(1, 3000) AS c,
	 LATERAL generate_series(1, 1 + floor(random() * 3)::int + 0 * c) AS k;
SELECT count(*) AS conversions, count(DISTINCT cid) AS customers,
	   (SELECT count(*) FROM attr_rt) AS touches FROM attr_conv;

CREATE TABLE attr_models (model text);
INSERT INTO attr_models VALUES ('first_touch'), ('last_touch'), ('last_non_direct'), ('linear'),
	('position_based'), ('position_based(0.2,0.2,0.6)'), ('position_based(60,20,20)'),
	('time_decay'), ('participation');

-- 1. What the function answers, for every conversion and model
CREATE TABLE attr_got AS
SELECT m.model, v.conv_id, a.o, a.touch, a.touch_at, a.credit
FROM attr_conv v
LEFT JOIN attr_paths t USING (cid)
CROSS JOIN attr_models m
CROSS JOIN LATERAL attribution(t.p, v.at, v.value, m.model, v.lookback, '2 days', 'direct')
	WITH ORDINALITY AS a(touch, touch_at, credit, o);

-- 2. The reference: eligible touches numbered in order
CREATE TABLE attr_elig AS
SELECT v.conv_id, v.value, greatest(scale(v.value), 2) AS sc, t.label, t.ts,
	   row_number() OVER w AS k, count(*) OVER (PARTITION BY v.conv_id) AS n,
	   max(t.ts) OVER (PARTITION BY v.conv_id) AS latest
FROM attr_conv v JOIN attr_rt t ON t.cid = v.cid AND t.ts <= v.at AND v.at - t.ts <= v.lookback
WINDOW w AS (PARTITION BY v.conv_id ORDER BY t.ts, t.label COLLATE "C");

-- each touch's share as num / den, by the stated rules
CREATE TABLE attr_shares AS
SELECT e.*, m.model,
	   CASE m.model
		 WHEN 'first_touch' THEN (k = 1)::int
		 WHEN 'last_touch' THEN (k = n)::int
		 WHEN 'last_non_direct' THEN
		   (k = coalesce((SELECT max(k2.k) FROM attr_elig k2
						  WHERE k2.conv_id = e.conv_id AND k2.label <> 'direct'), n))::int
		 WHEN 'linear' THEN 1
		 -- percent weights over 100 (n - 2) for three touches or more
		 ELSE CASE WHEN n = 1 THEN 1
				   WHEN n = 2 THEN CASE WHEN k = 1 THEN pf ELSE pl END
				   WHEN k = 1 THEN pf * (n - 2)
				   WHEN k = n THEN pl * (n - 2)
				   ELSE pm END
	   END::numeric AS num,
	   CASE m.model
		 WHEN 'linear' THEN n
		 WHEN 'first_touch' THEN 1 WHEN 'last_touch' THEN 1 WHEN 'last_non_direct' THEN 1
		 ELSE CASE WHEN n = 1 THEN 1 WHEN n = 2 THEN pf + pl ELSE 100 * (n - 2) END
	   END::numeric AS den
FROM attr_elig e
CROSS JOIN (VALUES ('first_touch', 0, 0, 0), ('last_touch', 0, 0, 0), ('last_non_direct', 0, 0, 0),
				   ('linear', 0, 0, 0), ('position_based', 40, 20, 40),
				   ('position_based(0.2,0.2,0.6)', 20, 20, 60),
				   ('position_based(60,20,20)', 60, 20, 20)) AS m(model, pf, pm, pl);

CREATE TABLE attr_ref AS
WITH units AS (
	SELECT s.*, trunc(value * 10::numeric ^ sc) AS u FROM attr_shares s
), floors AS (
	SELECT *, div(u * num, den) AS fl, mod(u * num, den) AS rem FROM units
), ranked AS (
	SELECT *, u - sum(fl) OVER (PARTITION BY model, conv_id) AS leftover,
		   row_number() OVER (PARTITION BY model, conv_id ORDER BY rem DESC, k) AS r
	FROM floors
)
SELECT model, conv_id, label AS touch, ts AS touch_at,
	   round((fl + (r <= leftover)::int) / 10::numeric ^ sc, sc) AS credit
FROM ranked
-- the single-touch models list only their touch
WHERE model NOT IN ('first_touch', 'last_touch', 'last_non_direct') OR num > 0
UNION ALL
-- no eligible touch: one unattributed row with the value
SELECT m.model, v.conv_id, NULL, NULL, round(v.value, greatest(scale(v.value), 2))
FROM attr_conv v CROSS JOIN (SELECT DISTINCT model FROM attr_shares) m
WHERE NOT EXISTS (SELECT FROM attr_elig e WHERE e.conv_id = v.conv_id);

-- the differences, both ways, comparing credits as text (so the scale too)
SELECT 'got, not ref' AS side, count(*) FROM (
	SELECT model, conv_id, touch, touch_at, credit::text FROM attr_got
	WHERE model IN (SELECT model FROM attr_ref)
	EXCEPT ALL
	SELECT model, conv_id, touch, touch_at, credit::text FROM attr_ref) d
UNION ALL
SELECT 'ref, not got', count(*) FROM (
	SELECT model, conv_id, touch, touch_at, credit::text FROM attr_ref
	EXCEPT ALL
	SELECT model, conv_id, touch, touch_at, credit::text FROM attr_got
	WHERE model IN (SELECT model FROM attr_ref)) d;
-- what was compared: rows per model, conversions, unattributed ones
SELECT model, count(*) AS rows, count(DISTINCT conv_id) AS conversions,
	   count(*) FILTER (WHERE touch IS NULL) AS unattributed
FROM attr_ref GROUP BY model ORDER BY model;

-- 3. Rows come in touch order: (time, label) never decreases
SELECT model, count(*) AS out_of_order FROM (
	SELECT model, touch_at, touch,
		   lag(touch_at) OVER w AS prev_at, lag(touch) OVER w AS prev_touch
	FROM attr_got WINDOW w AS (PARTITION BY model, conv_id ORDER BY o)) x
WHERE (prev_at, prev_touch COLLATE "C") > (touch_at, touch COLLATE "C")
GROUP BY model;

-- 4. Every additive model sums to the value exactly, at the value's scale
-- (at least 2); participation gives the value to each distinct label once
SELECT g.model,
	   count(*) FILTER (WHERE g.total <> v.value) AS wrong_sums,
	   count(*) FILTER (WHERE g.min_scale <> greatest(scale(v.value), 2)
						   OR g.max_scale <> greatest(scale(v.value), 2)) AS wrong_scales,
	   count(*) AS conversions
FROM (SELECT model, conv_id, sum(credit) AS total,
			 min(scale(credit)) AS min_scale, max(scale(credit)) AS max_scale
	  FROM attr_got WHERE model <> 'participation' GROUP BY model, conv_id) g
JOIN attr_conv v USING (conv_id)
GROUP BY g.model ORDER BY g.model;
SELECT count(*) FILTER (WHERE g.credit <> v.value) AS wrong_credits,
	   count(*) FILTER (WHERE g.touch IS NOT NULL AND
						g.touch_at <> (SELECT min(ts) FROM attr_elig e WHERE e.conv_id = g.conv_id AND e.label = g.touch)) AS not_first,
	   (SELECT count(*) FROM (SELECT DISTINCT conv_id, label FROM attr_elig) d) AS labels,
	   count(*) FILTER (WHERE g.touch IS NOT NULL) AS rows
FROM attr_got g JOIN attr_conv v USING (conv_id) WHERE g.model = 'participation';

-- 5. time_decay (half-life 2 days): each credit within one unit of
-- value * w / sum(w), w = 2^(-(latest - touch) / half-life) in float8
SELECT count(*) FILTER (WHERE abs(g.credit - e.value * e.w / e.wsum) > 10 ^ (-e.sc)) AS off_by_more_than_a_unit,
	   count(*) AS touches
FROM (SELECT *, sum(w) OVER (PARTITION BY conv_id) AS wsum
	  FROM (SELECT *, power(2::float8, -extract(epoch FROM latest - ts) / 172800)::numeric AS w FROM attr_elig) x) e
JOIN (SELECT conv_id, o, touch, touch_at, credit FROM attr_got WHERE model = 'time_decay') g
	ON g.conv_id = e.conv_id AND g.o = e.k;

-- 6. A parallel plan (the LATERAL call under Gather) gives the serial answer
CREATE TABLE attr_serial AS
SELECT m.model, a.touch, sum(a.credit) AS credit, count(*) AS n
FROM attr_conv v LEFT JOIN attr_paths t USING (cid) CROSS JOIN attr_models m
	LEFT JOIN LATERAL attribution(t.p, v.at, v.value, m.model, v.lookback, '2 days', 'direct') a ON true
GROUP BY 1, 2;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET parallel_leader_participation = off;
CREATE FUNCTION pg_temp.plan_has(q text, node text) RETURNS bool LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		IF line LIKE '%' || node || '%' THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN false;
END $$;
SELECT pg_temp.plan_has($$
	SELECT m.model, a.touch, sum(a.credit) AS credit, count(*) AS n
	FROM attr_conv v LEFT JOIN attr_paths t USING (cid) CROSS JOIN attr_models m
		LEFT JOIN LATERAL attribution(t.p, v.at, v.value, m.model, v.lookback, '2 days', 'direct') a ON true
	GROUP BY 1, 2 $$, 'Gather') AS parallel_plan;
SELECT count(*) AS differences FROM (
	(SELECT m.model, a.touch, sum(a.credit) AS credit, count(*) AS n
	 FROM attr_conv v LEFT JOIN attr_paths t USING (cid) CROSS JOIN attr_models m
		LEFT JOIN LATERAL attribution(t.p, v.at, v.value, m.model, v.lookback, '2 days', 'direct') a ON true
	 GROUP BY 1, 2
	 EXCEPT ALL SELECT * FROM attr_serial)
	UNION ALL
	(SELECT * FROM attr_serial
	 EXCEPT ALL
	 SELECT m.model, a.touch, sum(a.credit) AS credit, count(*) AS n
	 FROM attr_conv v LEFT JOIN attr_paths t USING (cid) CROSS JOIN attr_models m
		LEFT JOIN LATERAL attribution(t.p, v.at, v.value, m.model, v.lookback, '2 days', 'direct') a ON true
	 GROUP BY 1, 2)) d;
SELECT count(*) AS groups FROM attr_serial;

DROP TABLE attr_rt, attr_paths, attr_conv, attr_models, attr_got, attr_elig, attr_shares, attr_ref, attr_serial;
