-- funnel_summary binary I/O (funnel_summary_send / funnel_summary_recv): the send format
-- byte by byte, round trips text -> binary -> text, binary COPY, a real summary, corrupt
-- bytes refused with 22P03, and text and binary input accepting exactly the same values
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
\i sql/include/write_copy_file.sql
SELECT set_config('fs_io.copyfile', :'copyfile', false) IS NOT NULL AS copyfile_set;
CREATE TABLE fs_one (s funnel_summary);
-- pg_temp.recv(bytes): funnel_summary_recv of the bytes (a binary COPY of one field holding
-- them), as text; or the SQLSTATE and message of its error
CREATE FUNCTION pg_temp.recv(b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text;
	st text;
	msg text;
BEGIN
	PERFORM pg_temp.write_copy_file(b, current_setting('fs_io.copyfile'));
	DELETE FROM fs_one;
	EXECUTE format('COPY fs_one FROM %L (FORMAT binary)', current_setting('fs_io.copyfile'));
	SELECT s::text INTO r FROM fs_one;
	RETURN r;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	RETURN st || ': ' || msg;
END $$;

-- 1. the send format, by hand: version 01, excluded 2 (int8), last level 2 (int4), counts
-- 1, 3, 2 (int8 each), then level 2's offsets 5 and 7 (int8 each), network byte order
SELECT funnel_summary_send('v1;excluded=2;counts=1,3,2;2=5,7') =
	('\x' || '01' || '0000000000000002' || '00000002'
	 || '0000000000000001' || '0000000000000003' || '0000000000000002'
	 || '0000000000000005' || '0000000000000007')::bytea AS send_by_hand;
-- the empty summary: 01, excluded 0, last level 0, count 0 (21 bytes)
SELECT funnel_summary_send('v1;excluded=0;counts=0') =
	('\x' || '01' || '0000000000000000' || '00000000' || '0000000000000000')::bytea AS empty_by_hand;
-- level 3, none at level 2: the offsets of level 3 only (1 and 2 for its one customer)
SELECT funnel_summary_send('v1;excluded=0;counts=0,0,0,1;2=;3=1,2') =
	('\x' || '01' || '0000000000000000' || '00000003'
	 || '0000000000000000' || '0000000000000000' || '0000000000000000' || '0000000000000001'
	 || '0000000000000001' || '0000000000000002')::bytea AS level3_by_hand;
-- integers only: the same bytes under other settings
SET timezone = 'America/St_Johns'; SET datestyle = 'SQL, DMY'; SET intervalstyle = 'iso_8601';
SELECT funnel_summary_send('v1;excluded=2;counts=1,3,2;2=5,7') =
	'\x010000000000000002000000020000000000000001000000000000000300000000000000020000000000000005'
	'0000000000000007'::bytea AS same_under_other_settings;
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';

-- 2. round trips text -> binary -> text of hand-made values
CREATE TABLE fs_hand (id int, note text, s funnel_summary);
INSERT INTO fs_hand VALUES
	(1, 'empty', 'v1;excluded=0;counts=0'),
	(2, 'excluded only', 'v1;excluded=5;counts=0'),
	(3, 'levels 0 and 1 only', 'v1;excluded=0;counts=3,4'),
	(4, 'several steps', 'v1;excluded=1;counts=2,3,2,1;2=0,60000000;3=1000000,1000000'),
	(5, 'trailing zero counts', 'v1;excluded=0;counts=0,0,0;2='),
	(6, 'extreme offsets', 'v1;excluded=0;counts=0,0,2,1;2=9223372036854775807,0;3=0,9223372036854775807'),
	(7, 'counts adding up to 2^63 - 1', 'v1;excluded=1;counts=9223372036854775805,1'),
	(8, 'level 64, offsets 0..62', ('v1;excluded=0;counts=' || repeat('0,', 64) || '1;'
		|| (SELECT string_agg(r || '=', ';') FROM generate_series(2, 63) r) || ';64='
		|| (SELECT string_agg(i::text, ',') FROM generate_series(0, 62) i))::funnel_summary),
	(9, 'NULL', NULL);
-- bytes: 13 + 8 per count + 8 per offset; level 64 holds 1 customer with 63 offsets:
-- 1 + 8 + 4 + 65 * 8 + 63 * 8 = 1037
SELECT id, note, length(funnel_summary_send(s)) AS bytes, pg_temp.recv(funnel_summary_send(s)) = s::text AS same
FROM fs_hand ORDER BY id;
-- what came back, in full (the short ones)
SELECT id, pg_temp.recv(funnel_summary_send(s)) FROM fs_hand WHERE id <> 8 AND s IS NOT NULL ORDER BY id;

-- 3. binary COPY TO / FROM of a table with funnel_summary values gives equal text
COPY fs_hand TO :'copyfile' (FORMAT binary);
CREATE TABLE fs_back (LIKE fs_hand);
COPY fs_back FROM :'copyfile' (FORMAT binary);
SELECT count(*) AS rows, count(*) FILTER (WHERE a.s::text IS NOT DISTINCT FROM b.s::text) AS equal_text
FROM fs_hand a JOIN fs_back b USING (id);

-- 4. a summary funnel_summary_agg builds over real funnel() results (the customers of
-- funnel_options_summary): excluded 1; levels 0..3 hold 1, 1, 1, 2 customers; level 2: 10 min;
-- level 3: 2 and 3 min, then 4 and 4 min (offsets in microseconds)
CREATE TABLE ev (c int, m int, e text);
INSERT INTO ev VALUES
	(1, 0, 'visit'), (1, 2, 'cart'), (1, 3, 'buy'),
	(2, 0, 'visit'), (2, 4, 'cart'), (2, 4, 'buy'),
	(3, 0, 'visit'), (3, 10, 'cart'),
	(4, 0, 'visit'),
	(5, 0, 'visit'), (5, 1, 'refund'), (5, 2, 'cart'), (5, 3, 'buy'),
	(6, 0, 'browse');
CREATE TABLE evr AS
SELECT c, funnel(interval '1 hour', timestamptz '2026-01-05' + m * interval '1 minute', e,
				 ARRAY['visit', 'cart', 'buy'], 'exclude refund between 1 and 3') AS r
FROM ev GROUP BY c;
CREATE TABLE evs AS SELECT funnel_summary_agg(r ORDER BY c) AS s FROM evr;
SELECT s FROM evs;
-- its bytes by hand: 600000000 = 0x23c34600, 120000000 = 0x07270e00, 180000000 = 0x0aba9500,
-- 240000000 = 0x0e4e1c00
SELECT funnel_summary_send(s) =
	('\x' || '01' || '0000000000000001' || '00000003'
	 || '0000000000000001' || '0000000000000001' || '0000000000000001' || '0000000000000002'
	 || '0000000023c34600'
	 || '0000000007270e00' || '000000000aba9500' || '000000000e4e1c00' || '000000000e4e1c00')::bytea AS agg_send_by_hand
FROM evs;
-- straight from the aggregate (its expanded form) as from the stored value
SELECT funnel_summary_send(funnel_summary_agg(r ORDER BY c)) = (SELECT funnel_summary_send(s) FROM evs) AS expanded_sends_the_same
FROM evr;
-- received back: the same text and the same report
SELECT pg_temp.recv(funnel_summary_send(s)) = s::text AS agg_round_trip FROM evs;
SELECT (SELECT array_agg(t::text ORDER BY step) FROM funnel_summary_table(s, ARRAY['visit', 'cart', 'buy']) t) =
	   (SELECT array_agg(t::text ORDER BY step) FROM funnel_summary_table(pg_temp.recv(funnel_summary_send(s))::funnel_summary, ARRAY['visit', 'cart', 'buy']) t)
	   AS same_report
FROM evs;
-- through binary COPY of the table
COPY evs TO :'copyfile' (FORMAT binary);
CREATE TABLE evs_back (LIKE evs);
COPY evs_back FROM :'copyfile' (FORMAT binary);
SELECT a.s::text = b.s::text AS copy_round_trip FROM evs a, evs_back b;

-- 5. corrupt bytes: each refused with 22P03, saying what is wrong
CREATE TABLE bad (id int, what text, b bytea);
INSERT INTO bad VALUES
	(1, 'no bytes', ''),
	(2, 'version 2', '\x02'::bytea || int8send(0) || int4send(0) || int8send(0)),
	(3, 'version 0', '\x00'::bytea || int8send(0) || int4send(0) || int8send(0)),
	(4, 'cut in the header', '\x01000000000000'),
	(5, 'last level -1', '\x01'::bytea || int8send(0) || int4send(-1)),
	(6, 'last level 65', '\x01'::bytea || int8send(0) || int4send(65) || int8send(0)),
	(7, 'counts cut short', '\x01'::bytea || int8send(0) || int4send(2) || int8send(0) || int8send(0)),
	(8, 'excluded -1', '\x01'::bytea || int8send(-1) || int4send(0) || int8send(0)),
	(9, 'count -1', '\x01'::bytea || int8send(0) || int4send(1) || int8send(0) || int8send(-1)),
	(10, 'counts adding up past 2^63 - 1', '\x01'::bytea || int8send(1) || int4send(0) || int8send(9223372036854775807)),
	(11, '2^62 customers at level 2', '\x01'::bytea || int8send(0) || int4send(2) || int8send(0) || int8send(0)
		|| int8send(4611686018427387904)),
	(12, 'offsets cut short', '\x01'::bytea || int8send(0) || int4send(2) || int8send(0) || int8send(0) || int8send(2)
		|| int8send(5)),
	(13, 'offset cut in the middle', '\x01'::bytea || int8send(0) || int4send(2) || int8send(0) || int8send(0) || int8send(1)
		|| '\x00000000'::bytea),
	(14, 'a trailing byte', funnel_summary_send('v1;excluded=2;counts=1,3,2;2=5,7') || '\x00'::bytea),
	(15, 'a trailing byte after the empty summary', funnel_summary_send('v1;excluded=0;counts=0') || '\x00'::bytea),
	(16, 'the value twice', funnel_summary_send('v1;excluded=0;counts=0,1') || funnel_summary_send('v1;excluded=0;counts=0,1')),
	(17, 'offset -1', '\x01'::bytea || int8send(0) || int4send(2) || int8send(0) || int8send(0) || int8send(1) || int8send(-1)),
	(18, 'a customer''s offsets decrease', '\x01'::bytea || int8send(0) || int4send(3) || int8send(0) || int8send(0)
		|| int8send(0) || int8send(1) || int8send(5) || int8send(4)),
	(19, 'the second customer''s decrease', '\x01'::bytea || int8send(0) || int4send(3) || int8send(0) || int8send(0)
		|| int8send(0) || int8send(2) || int8send(1) || int8send(2) || int8send(7) || int8send(6)),
	(20, 'a huge count at level 64, few bytes', '\x01'::bytea || int8send(0) || int4send(64)
		|| decode(repeat('0000000000000000', 64), 'hex') || int8send(1000000)),
	-- accepted: offsets of different customers may decrease (each customer starts at step 1)
	(21, 'accepted: customers in any order', '\x01'::bytea || int8send(0) || int4send(2) || int8send(0) || int8send(0)
		|| int8send(2) || int8send(7) || int8send(5));
SELECT id, what, pg_temp.recv(b) AS outcome FROM bad ORDER BY id;
SELECT count(*) AS refused, count(*) FILTER (WHERE pg_temp.recv(b) LIKE '22P03: %') AS with_22p03 FROM bad WHERE id <> 21;
-- in full, with DETAIL and HINT
CREATE TABLE fs_direct (s funnel_summary);
SELECT pg_temp.write_copy_file(b, :'copyfile') FROM bad WHERE id = 18;
COPY fs_direct FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(b, :'copyfile') FROM bad WHERE id = 12;
COPY fs_direct FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file(b, :'copyfile') FROM bad WHERE id = 2;
COPY fs_direct FROM :'copyfile' (FORMAT binary);

-- 6. every cut and every flipped byte of a real summary: refused with 22P03, or accepted as a
-- value that sends the same bytes back (never another error).  The 85 bytes give: every cut
-- refused; flipped bytes 40 refused, 45 accepted; low bits flipped 33 refused, 52 accepted
-- (as counted by a separate reimplementation of the rules over the same bytes, in Python)
CREATE TABLE mutated (kind text, outcome text, b bytea, same bool);
INSERT INTO mutated
SELECT 'cut', pg_temp.recv(substring(g FROM 1 FOR i)), substring(g FROM 1 FOR i)
FROM (SELECT funnel_summary_send(s) AS g FROM evs) s, generate_series(0, length(g) - 1) i;
INSERT INTO mutated
SELECT 'flip', pg_temp.recv(set_byte(g, i, get_byte(g, i) # 255)), set_byte(g, i, get_byte(g, i) # 255)
FROM (SELECT funnel_summary_send(s) AS g FROM evs) s, generate_series(0, length(g) - 1) i;
INSERT INTO mutated
SELECT 'low bit', pg_temp.recv(set_byte(g, i, get_byte(g, i) # 1)), set_byte(g, i, get_byte(g, i) # 1)
FROM (SELECT funnel_summary_send(s) AS g FROM evs) s, generate_series(0, length(g) - 1) i;
UPDATE mutated SET same = CASE WHEN outcome ~ '^[0-9A-Z]{5}: ' THEN NULL
	ELSE funnel_summary_send(outcome::funnel_summary) = b END;
SELECT kind, count(*) AS tried,
	   count(*) FILTER (WHERE outcome LIKE '22P03: %') AS refused_22p03,
	   count(*) FILTER (WHERE same) AS accepted_same_bytes,
	   count(*) FILTER (WHERE NOT same) AS accepted_other_bytes,
	   count(*) FILTER (WHERE outcome ~ '^[0-9A-Z]{5}: ' AND outcome NOT LIKE '22P03: %') AS other_errors
FROM mutated GROUP BY kind ORDER BY kind;

-- 7. text and binary input accept exactly the same values: random summaries (some broken:
-- negative or huge numbers, a decreasing customer, an offset missing or extra, too many
-- levels), each written both ways from the same numbers; both accepted with the same text,
-- or both refused (22P02 / 22P03).  The output lists each level's customers in
-- ascending order: an input already in that order comes back as it was.
SELECT setseed(0.19);
CREATE TABLE cmp (id int, txt text, bin bytea, t_out text, b_out text, ordered bool);
DO $$
DECLARE
	i int;
	last int;
	excl int8;
	counts int8[];
	offs int8[];
	lvl int8[];
	txt text;
	bin bytea;
	r int;
	c int;
	k int;
	v int8;
	bump int8[] := ARRAY[-1, 9223372036854775807, 4611686018427387904];
	length_broken bool;
	ordered bool;
	customer int8[];
	previous int8[];
BEGIN
	FOR i IN 1 .. 1500 LOOP
		last := floor(random() * 5)::int;
		IF random() < 0.02 THEN last := 65; END IF;
		excl := floor(random() * 3);
		IF random() < 0.03 THEN excl := bump[1 + floor(random() * 3)::int]; END IF;
		counts := '{}';
		FOR r IN 0 .. last LOOP
			v := floor(random() * 3);
			IF random() < 0.02 THEN v := bump[1 + floor(random() * 3)::int]; END IF;
			counts := counts || v;
		END LOOP;
		txt := 'v1;excluded=' || excl || ';counts=' || array_to_string(counts, ',');
		bin := '\x01'::bytea || int8send(excl) || int4send(last);
		FOR r IN 0 .. last LOOP
			bin := bin || int8send(counts[r + 1]);
		END LOOP;
		length_broken := false;
		ordered := true;
		FOR r IN 2 .. last LOOP
			lvl := '{}';
			previous := NULL;
			-- past a small count the numbers are broken anyway: write a few offsets
			FOR c IN 1 .. least(greatest(counts[r + 1], 0), 4) LOOP
				v := 0;
				customer := '{}';
				FOR k IN 1 .. r - 1 LOOP
					v := v + floor(random() * 3);
					offs := ARRAY[v];
					IF random() < 0.03 THEN offs := ARRAY[v - 2]; END IF;
					IF random() < 0.01 THEN offs := ARRAY[bump[1 + floor(random() * 2)::int]]; END IF;
					lvl := lvl || offs;
					customer := customer || offs;
				END LOOP;
				IF previous > customer THEN ordered := false; END IF;
				previous := customer;
			END LOOP;
			-- one offset missing or extra per value at most (binary has no level marks, so
			-- one missing and one extra elsewhere would shift the offsets between levels)
			IF NOT length_broken AND random() < 0.03 THEN
				length_broken := true;
				IF random() < 0.5 AND cardinality(lvl) > 0 THEN
					lvl := lvl[1:cardinality(lvl) - 1];
				ELSE
					lvl := lvl || 1::int8;
				END IF;
			END IF;
			txt := txt || ';' || r || '=' || array_to_string(lvl, ',');
			FOR k IN 1 .. cardinality(lvl) LOOP
				bin := bin || int8send(lvl[k]);
			END LOOP;
		END LOOP;
		INSERT INTO cmp (id, txt, bin, ordered) VALUES (i, txt, bin, ordered);
	END LOOP;
END $$;
CREATE FUNCTION pg_temp.text_in(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	RETURN t::funnel_summary::text;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
UPDATE cmp SET t_out = pg_temp.text_in(txt), b_out = pg_temp.recv(bin);
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE t_out NOT LIKE '22P02: %') >= 300 AS many_accepted,
	   count(*) FILTER (WHERE t_out LIKE '22P02: %') >= 100 AS many_refused,
	   count(*) FILTER (WHERE t_out NOT LIKE '22P02: %' AND b_out = t_out AND (t_out = txt OR NOT ordered)) =
		   count(*) FILTER (WHERE t_out NOT LIKE '22P02: %') AS accepted_alike,
	   count(*) FILTER (WHERE t_out NOT LIKE '22P02: %' AND NOT ordered AND t_out <> txt
						AND t_out::funnel_summary::text = t_out) > 0 AS reordered,
	   count(*) FILTER (WHERE t_out LIKE '22P02: %' AND b_out LIKE '22P03: %') =
		   count(*) FILTER (WHERE t_out LIKE '22P02: %') AS refused_alike,
	   count(*) FILTER (WHERE t_out !~ '^[0-9A-Z]{5}: ' AND b_out !~ '^[0-9A-Z]{5}: ' OR
						t_out LIKE '22P02: %' AND b_out LIKE '22P03: %') AS agree
FROM cmp;
-- which rules refused (binary), so that each is exercised
SELECT regexp_replace(substring(b_out FROM 39), '[-0-9]+', 'N', 'g') AS binary_refusal, count(*) > 0 AS seen
FROM cmp WHERE b_out LIKE '22P03: %' GROUP BY 1 ORDER BY 1;
SELECT id, txt, t_out, b_out FROM cmp
WHERE NOT (t_out !~ '^[0-9A-Z]{5}: ' AND b_out !~ '^[0-9A-Z]{5}: ' OR t_out LIKE '22P02: %' AND b_out LIKE '22P03: %')
LIMIT 5;
