-- attribution(touches, converted_at, value, model, lookback, half_life, direct)
-- by hand: every model on 1, 2, 3 and 5 touches, ties, touches after the
-- conversion and exactly at the lookback boundary, several conversions of
-- one customer, the unattributed row, the value's scale, the extremes of
-- time, and every error with its message and SQLSTATE.  Each answer is
-- written in the query (column expected) and compared (column ok), so a
-- wrong answer shows as f.  sql/attribution_random.sql checks thousands of
-- random paths against an independent SQL reference.
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';

-- The rows of one call as one line, in the function's order:
-- touch@day=credit (day of the month; NULL for the unattributed row).
CREATE FUNCTION pg_temp.credits(p milestone_path, at timestamptz, v numeric, m text,
		lb interval DEFAULT '30 days', hl interval DEFAULT '7 days', d text DEFAULT NULL)
	RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(coalesce(touch || '@' || extract(day FROM touch_at), 'NULL') || '=' || credit,
							   ' ' ORDER BY o), '(no rows)')
	FROM attribution(p, at, v, m, lb, hl, d) WITH ORDINALITY AS a(touch, touch_at, credit, o) $$;

-- An error as one line: SQLSTATE, message, detail and hint.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text; det text; hnt text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
	RETURN st || ': ' || msg || coalesce(nullif(' | ' || det, ' | '), '') || coalesce(nullif(' | ' || hnt, ' | '), '');
END $$;

CREATE TEMP TABLE cases (n serial, p milestone_path, at timestamptz, v numeric, m text,
	lb interval DEFAULT '30 days', hl interval DEFAULT '7 days', d text, expected text);

-- 1. One touch: every model gives it the whole value (at scale 2 at least)
INSERT INTO cases (p, at, v, m, expected)
SELECT 'a@2024-01-01', '2024-01-04', 100, m, 'a@1=100.00'
FROM unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'position_based(0.2,0.2,0.6)',
				  'time_decay', 'participation']) AS m;
INSERT INTO cases (p, at, v, m, d, expected) VALUES
	('a@2024-01-01', '2024-01-04', 100, 'last_non_direct', 'direct', 'a@1=100.00');

-- 2. Two touches, a one day before b, the conversion a day after b.
-- time_decay (half-life 7 days): weights 2^(-1/7) = 0.905724 and 1, so a is
-- owed 47.5265 and b 52.4735: floors 47.52 + 52.47 = 99.99, the last cent
-- to the larger remainder (a's .65 > b's .35).  Two touches share
-- position_based 50/50, and J-shaped 20/20/60 as first/(first+last) = 25 %
-- and last/(first+last) = 75 % (Adobe's rule).
INSERT INTO cases (p, at, v, m, expected) VALUES
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'first_touch', 'a@1=100.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'last_touch', 'b@2=100.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'linear', 'a@1=50.00 b@2=50.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'position_based', 'a@1=50.00 b@2=50.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'position_based(0.2,0.2,0.6)', 'a@1=25.00 b@2=75.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'position_based(60,20,20)', 'a@1=75.00 b@2=25.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'position_based(0,1,0)', 'a@1=50.00 b@2=50.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'time_decay', 'a@1=47.53 b@2=52.47'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-03', 100, 'participation', 'a@1=100.00 b@2=100.00');
-- one half-life apart: half the weight, so 1/3 and 2/3
INSERT INTO cases (p, at, v, m, hl, expected) VALUES
	('a@2024-01-01 -> b@2024-01-08', '2024-01-09', 100, 'time_decay', '7 days', 'a@1=33.33 b@8=66.67');

-- 3. Three touches a, b, c a day apart.  Linear: 33.333... each, floors
-- 99.99, the cent to the earliest of equal remainders (a).  time_decay with
-- a half-life of one day: weights 1/4, 1/2, 1 over 7/4, so 14.2857,
-- 28.5714, 57.1429: floors 14.28 + 28.57 + 57.14 = 99.99, the cent to a
-- (remainder .57 against .14 and .29).
INSERT INTO cases (p, at, v, m, hl, expected) VALUES
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 100, 'first_touch', '7 days', 'a@1=100.00'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 100, 'last_touch', '7 days', 'c@3=100.00'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 100, 'linear', '7 days', 'a@1=33.34 b@2=33.33 c@3=33.33'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 100, 'position_based', '7 days', 'a@1=40.00 b@2=20.00 c@3=40.00'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 100, 'position_based(0.2,0.2,0.6)', '7 days', 'a@1=20.00 b@2=20.00 c@3=60.00'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 100, 'position_based(0.6,0.2,0.2)', '7 days', 'a@1=60.00 b@2=20.00 c@3=20.00'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 100, 'time_decay', '1 day', 'a@1=14.29 b@2=28.57 c@3=57.14'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 100, 'participation', '7 days', 'a@1=100.00 b@2=100.00 c@3=100.00');

-- 4. Snowplow's bug: position_based over 5 touches, revenue 100.00.  The
-- middle 20 % over 3 touches is 6.666... each: floors 40 + 3 x 6.66 + 40 =
-- 99.98, the two cents to the earliest middles: 40/6.67/6.67/6.66/40, sum
-- 100.00 (Snowplow rounds to integers and misplaces a parenthesis).
INSERT INTO cases (p, at, v, m, expected) VALUES
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03 -> d@2024-01-04 -> e@2024-01-05', '2024-01-06', 100.00,
	 'position_based', 'a@1=40.00 b@2=6.67 c@3=6.67 d@4=6.66 e@5=40.00');

-- 5. Ties are ordered by label (bytes), whatever order the path was typed
-- in: b and a at one instant are a, b.  first_touch is a; the last of b and
-- c tied at the end is c; linear's extra cent goes to a.
INSERT INTO cases (p, at, v, m, expected) VALUES
	('b@2024-01-01 -> a@2024-01-01 -> c@2024-01-02', '2024-01-03', 1, 'first_touch', 'a@1=1.00'),
	('a@2024-01-01 -> c@2024-01-02 -> b@2024-01-02', '2024-01-03', 1, 'last_touch', 'c@2=1.00'),
	('b@2024-01-01 -> a@2024-01-01 -> c@2024-01-02', '2024-01-03', 1, 'linear', 'a@1=0.34 b@1=0.33 c@2=0.33'),
	('c@2024-01-01 -> b@2024-01-01 -> a@2024-01-01', '2024-01-03', 1, 'position_based', 'a@1=0.40 b@1=0.20 c@1=0.40'),
	('"B"@2024-01-01 -> a@2024-01-01', '2024-01-03', 1, 'first_touch', 'B@1=1.00');

-- 6. Eligibility: a touch after the conversion never counts; one at the
-- conversion's instant does; one exactly lookback before does, one a
-- microsecond earlier does not; lookback 0 keeps only the instant.
INSERT INTO cases (p, at, v, m, lb, expected) VALUES
	('a@2024-01-01 -> b@2024-01-05', '2024-01-04', 100, 'linear', '30 days', 'a@1=100.00'),
	('a@2024-01-01 -> b@2024-01-04', '2024-01-04', 100, 'linear', '30 days', 'a@1=50.00 b@4=50.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-04', 100, 'linear', '3 days', 'a@1=50.00 b@2=50.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-04 00:00:00.000001', 100, 'linear', '3 days', 'b@2=100.00'),
	('a@2024-01-01 -> b@2024-01-02', '2024-01-04', 100, 'first_touch', '2 days', 'b@2=100.00'),
	('a@2024-01-01 -> b@2024-01-04', '2024-01-04', 100, 'linear', '0', 'b@4=100.00'),
	('a@2024-01-01 -> b@2024-01-04', '2024-01-04', 100, 'time_decay', '1 day', 'b@4=100.00');

-- 7. No eligible touch, a NULL path, an empty path: one unattributed row
-- with the whole value
INSERT INTO cases (p, at, v, m, expected) VALUES
	('a@2024-01-05', '2024-01-04', 100, 'linear', 'NULL=100.00'),
	('a@2024-01-01', '2024-03-04', 100, 'last_touch', 'NULL=100.00'),
	(NULL, '2024-01-04', 100, 'linear', 'NULL=100.00'),
	('', '2024-01-04', 12.5, 'first_touch', 'NULL=12.50');

-- 8. last_non_direct: the latest touch that is not direct; all direct: the
-- latest touch; direct absent from the path: the latest touch
INSERT INTO cases (p, at, v, m, d, expected) VALUES
	('email@2024-01-01 -> direct@2024-01-02 -> direct@2024-01-03', '2024-01-04', 100, 'last_non_direct', 'direct', 'email@1=100.00'),
	('ads@2024-01-01 -> email@2024-01-02 -> direct@2024-01-03', '2024-01-04', 100, 'last_non_direct', 'direct', 'email@2=100.00'),
	('direct@2024-01-01 -> direct@2024-01-02', '2024-01-04', 100, 'last_non_direct', 'direct', 'direct@2=100.00'),
	('ads@2024-01-01 -> email@2024-01-02', '2024-01-04', 100, 'last_non_direct', 'direct', 'email@2=100.00'),
	-- the touch after the conversion is not eligible, direct or not
	('email@2024-01-01 -> direct@2024-01-02 -> seo@2024-01-05', '2024-01-04', 100, 'last_non_direct', 'direct', 'email@1=100.00'),
	-- direct is ignored by the other models
	('direct@2024-01-01 -> email@2024-01-02', '2024-01-04', 100, 'last_touch', 'direct', 'email@2=100.00');

-- 9. participation: each distinct label once, at its first eligible touch,
-- with the full value (not additive)
INSERT INTO cases (p, at, v, m, lb, expected) VALUES
	('a@2024-01-01 -> b@2024-01-02 -> a@2024-01-03', '2024-01-04', 10, 'participation', '30 days', 'a@1=10.00 b@2=10.00'),
	('a@2024-01-01 -> b@2024-01-02 -> a@2024-01-03', '2024-01-04', 10, 'participation', '2 days', 'b@2=10.00 a@3=10.00');

-- 10. The value's scale (at least 2): 1.000 splits in thousandths, 100 in
-- cents, 0.01 leaves two touches with nothing, 0 credits zeros
INSERT INTO cases (p, at, v, m, expected) VALUES
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 1.000, 'linear', 'a@1=0.334 b@2=0.333 c@3=0.333'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 0.01, 'linear', 'a@1=0.01 b@2=0.00 c@3=0.00'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 0, 'position_based', 'a@1=0.00 b@2=0.00 c@3=0.00'),
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 7.5, 'first_touch', 'a@1=7.50'),
	-- beyond 64 bits of units: 20 digits before the point, 9 after
	('a@2024-01-01 -> b@2024-01-02', '2024-01-04', 12345678901234567890.123456789, 'linear',
	 'a@1=6172839450617283945.061728395 b@2=6172839450617283945.061728394'),
	-- 38 digits at scale 2, the most
	('a@2024-01-01 -> b@2024-01-02 -> c@2024-01-03', '2024-01-04', 999999999999999999999999999999999999.99, 'linear',
	 'a@1=333333333333333333333333333333333333.33 b@2=333333333333333333333333333333333333.33 c@3=333333333333333333333333333333333333.33'),
	-- beyond 64 bits with a scale of 120: 100 zeros after the point, then
	-- 20 digits (a text buffer sized for 64 characters overflowed here)
	('a@2024-01-01', '2024-01-04', ('0.' || repeat('0', 100) || '12345678901234567890')::numeric, 'first_touch',
	 'a@1=0.' || repeat('0', 100) || '12345678901234567890'),
	(NULL, '2024-01-04', ('0.' || repeat('0', 100) || '12345678901234567890')::numeric, 'linear',
	 'NULL=0.' || repeat('0', 100) || '12345678901234567890');

-- 11. time_decay never underflows: touches 24 years old with a half-life
-- of one hour still split the value (2^-210384 relative to now would be 0);
-- a is 24 hours (24 half-lives) before b, so its share is 2^-24, under a cent
INSERT INTO cases (p, at, v, m, lb, hl, expected) VALUES
	('a@2000-01-01 -> b@2000-01-02', '2024-01-01', 100, 'time_decay', '9000 days', '1 hour', 'a@1=0.00 b@2=100.00'),
	('a@2000-01-01 -> b@2000-01-01', '2024-01-01', 100, 'time_decay', '9000 days', '1 hour', 'a@1=50.00 b@1=50.00');

-- 12. The extremes of time: the conversion at the last representable
-- instant and a touch at the first are 301,000 years apart, more than
-- int8 microseconds hold (PostgreSQL 15's timestamptz - timestamptz wraps
-- around to a negative interval there): not within a lookback of 106,751,990
-- days; the touch at the last instant is.
INSERT INTO cases (p, at, v, m, lb, expected) VALUES
	('a@4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00', 100, 'linear', '106751990 days', 'NULL=100.00'),
	('a@4713-01-01 00:00:00+00 BC -> b@294276-12-31 23:59:59+00', '294276-12-31 23:59:59+00', 100, 'linear',
	 '106751990 days', 'b@31=100.00');

SELECT n, m, expected, pg_temp.credits(p, at, v, m, lb, hl, d) = expected AS ok
FROM cases ORDER BY n;
-- only shown when wrong
SELECT n, pg_temp.credits(p, at, v, m, lb, hl, d) AS got FROM cases
WHERE pg_temp.credits(p, at, v, m, lb, hl, d) IS DISTINCT FROM expected ORDER BY n;

-- 13. The rows themselves: touch text, touch_at timestamptz, credit numeric,
-- in touch order
SELECT * FROM attribution('a@2024-01-01 10:00 -> b@2024-01-02 11:30 -> c@2024-01-03 09:15', '2024-01-04', 99.99, 'linear');
SELECT * FROM attribution(NULL, '2024-01-04', 5);
-- the defaults: value 1, linear, 30 days
SELECT * FROM attribution('a@2024-01-01 -> b@2024-01-02 -> c@2024-03-01', '2024-01-20');
-- a NULL conversion time: no rows, even with a NULL value (an outer join's
-- missing conversion)
SELECT count(*) FROM attribution('a@2024-01-01', NULL, NULL);

-- 14. Several conversions of one customer: each looks back on its own, so a
-- touch earns from both.  Conversion 1 (Jan 3, 10.00) credits a and b 5.00
-- each; conversion 2 (Jan 10, 20.00) credits a, b, c, d 5.00 each; a
-- conversion of customer 2, who has no path, is unattributed.
CREATE TEMP TABLE touch_paths AS
SELECT customer_id, milestone_path_agg(channel, ts) AS p
FROM (VALUES (1, 'a', timestamptz '2024-01-01'), (1, 'b', '2024-01-02'),
			 (1, 'c', '2024-01-08'), (1, 'd', '2024-01-09')) AS t(customer_id, channel, ts)
GROUP BY customer_id;
CREATE TEMP TABLE conversions (customer_id int, at timestamptz, revenue numeric);
INSERT INTO conversions VALUES (1, '2024-01-03', 10.00), (1, '2024-01-10', 20.00), (2, '2024-01-05', 7.00);
SELECT a.touch, sum(a.credit) AS credit, count(*) AS touches
FROM conversions c
LEFT JOIN touch_paths t USING (customer_id)
LEFT JOIN LATERAL attribution(t.p, c.at, c.revenue) a ON true
GROUP BY 1 ORDER BY 1;
-- the overview of doc/reference.md: credit, share of the total, credited touches
SELECT coalesce(a.touch, '(unattributed)') AS touch, sum(a.credit) AS credit,
	   round(100 * sum(a.credit) / sum(sum(a.credit)) OVER (), 1) AS share_pct,
	   count(a.touch) FILTER (WHERE a.credit > 0) AS credited_touches
FROM conversions c
LEFT JOIN touch_paths t USING (customer_id)
LEFT JOIN LATERAL attribution(t.p, c.at, c.revenue, 'position_based') a ON true
GROUP BY a.touch ORDER BY credit DESC, touch;

-- 15. Errors, with their messages
SELECT q, pg_temp.err(q) FROM (VALUES
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'lineer')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, NULL)$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'linear(1,1,1)')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'position_based(0.5,0.5)')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'position_based(1,1,1,1)')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'position_based(1,x,1)')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'position_based(0.2,-0.2,0.6)')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'position_based(0,0,0)')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'position_based(0.1234567,1,1)')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'last_non_direct')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'linear', '-1 day')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'linear', '1 mon')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'linear', NULL)$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'time_decay', '30 days', '-7 days')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'time_decay', '30 days', '0')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'linear', '30 days', NULL)$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'linear', '30 days', '1 mon')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', -0.01)$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 'NaN')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 'Infinity')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', '-Infinity')$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', NULL)$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1e36)$$),
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 123456789012345678901234567890.123456789)$$),
	-- a tiny value is fine: one digit at its scale
	($$SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 0.000000000000000000000000000000000000001)$$),
	($$SELECT * FROM attribution('a@2024-01-01', 'infinity', 1)$$),
	($$SELECT * FROM attribution('a -> b', '2024-01-02', 1)$$),
	-- a NULL path never gets to the path's checks; an empty pattern is no touch
	($$SELECT * FROM attribution(''::milestone_path, '2024-01-02', 1)$$)
) AS t(q);

-- the SQLSTATE as psql shows it
\set VERBOSITY sqlstate
SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1, 'lineer');
SELECT * FROM attribution('a@2024-01-01', '2024-01-02', NULL);
SELECT * FROM attribution('a@2024-01-01', '2024-01-02', 1e36);
\set VERBOSITY default
