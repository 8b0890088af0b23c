-- window_funnel modes, hand-computed
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
CREATE TABLE fm (c text, m int, e text);
CREATE VIEW fmv AS SELECT c, timestamptz '2026-01-01 00:00' + m * interval '1 minute' AS ts, e FROM fm;
INSERT INTO fm VALUES
	-- interrupted: a b x c (x matches no step)
	('interrupted', 0, 'a'), ('interrupted', 1, 'b'), ('interrupted', 2, 'x'), ('interrupted', 3, 'c'),
	-- out_of_turn: a b a c (a new step 1 after the start: strict_order and strict_deduplication end at 2)
	('out_of_turn', 0, 'a'), ('out_of_turn', 1, 'b'), ('out_of_turn', 2, 'a'), ('out_of_turn', 3, 'c'),
	-- repeat: a b b c (strict_order tolerates the repeat: 3; strict_deduplication ends on it: 2, as ClickHouse)
	('repeat', 0, 'a'), ('repeat', 1, 'b'), ('repeat', 2, 'b'), ('repeat', 3, 'c'),
	-- noise_before: x a b c (rows before the chain do not matter)
	('noise_before', 0, 'x'), ('noise_before', 1, 'a'), ('noise_before', 2, 'b'), ('noise_before', 3, 'c'),
	-- tie: a and b at the same minute, then c
	('tie', 0, 'a'), ('tie', 0, 'b'), ('tie', 1, 'c'),
	-- late_first: a@0 then a@20 b@21 c@22, window 10 minutes
	('late_first', 0, 'a'), ('late_first', 20, 'a'), ('late_first', 21, 'b'), ('late_first', 22, 'c'),
	-- restart_a: a a b c (a repeated step 1 restarts without harm)
	('restart_a', 0, 'a'), ('restart_a', 1, 'a'), ('restart_a', 2, 'b'), ('restart_a', 3, 'c');

SELECT c,
       window_funnel(interval '10 minutes', ts, e = 'a', e = 'b', e = 'c') AS plain,
       window_funnel(interval '10 minutes', 'strict_order', ts, e = 'a', e = 'b', e = 'c') AS strict_order,
       window_funnel(interval '10 minutes', 'strict_deduplication', ts, e = 'a', e = 'b', e = 'c') AS dedup,
       window_funnel(interval '10 minutes', 'strict_increase', ts, e = 'a', e = 'b', e = 'c') AS increase,
       window_funnel(interval '10 minutes', 'first_entry', ts, e = 'a', e = 'b', e = 'c') AS first_entry
FROM fmv GROUP BY c ORDER BY c;
-- modes combine; case and blanks do not matter; '' means no mode
SELECT c,
       window_funnel(interval '10 minutes', ' Strict_Order , STRICT_INCREASE ', ts, e = 'a', e = 'b', e = 'c') AS order_increase,
       window_funnel(interval '10 minutes', 'strict_deduplication,first_entry', ts, e = 'a', e = 'b', e = 'c') AS dedup_first,
       window_funnel(interval '10 minutes', '', ts, e = 'a', e = 'b', e = 'c') AS no_mode
FROM fmv GROUP BY c ORDER BY c;
-- times under a mode
SELECT window_funnel_times(interval '10 minutes', 'strict_order', ts, e = 'a', e = 'b', e = 'c') AS times
FROM fmv WHERE c = 'out_of_turn';
-- bad mode lists name the bad word
SELECT window_funnel(interval '10 minutes', 'strict_order,', ts, e = 'a') FROM fmv;
SELECT window_funnel(interval '10 minutes', 'strict order', ts, e = 'a') FROM fmv;
SELECT window_funnel(interval '10 minutes', repeat('z', 500), ts, e = 'a') FROM fmv;
-- a mode that changes within a group is refused
SELECT window_funnel(interval '10 minutes', CASE WHEN m = 0 THEN '' ELSE 'strict_order' END,
                     timestamptz '2026-01-01' + m * interval '1 minute', e = 'a') FROM fm WHERE c = 'repeat';
-- ... but modes that mean the same agree, as windows of one length do
SELECT window_funnel(CASE WHEN m = 0 THEN interval '1 day' ELSE interval '24 hours' END,
                     CASE WHEN m = 0 THEN '' ELSE 'strict_once' END,
                     timestamptz '2026-01-01' + m * interval '1 minute', e = 'a') AS same_meaning FROM fm WHERE c = 'repeat';
-- allow_reentry exempts a row's match of step 1 from strict_deduplication,
-- not its match of another reached step: steps a, a, b over a a a b from
-- the first a reach 2 (the third a repeats step 2), and 3 without
-- first_entry (the chain starts at the second a)
SELECT window_funnel(interval '1 hour', 'strict_order, strict_deduplication, allow_reentry, first_entry', ts, k, '{a,a,b}') AS first_entry,
       window_funnel(interval '1 hour', 'strict_order, strict_deduplication, allow_reentry', ts, k, '{a,a,b}') AS latest_start
FROM (VALUES (timestamptz '2024-01-01 00:00', 'a'), ('2024-01-01 00:01', 'a'), ('2024-01-01 00:02', 'a'), ('2024-01-01 00:03', 'b')) v(ts, k);
