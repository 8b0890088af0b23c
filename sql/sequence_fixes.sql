-- Sequence patterns: the defects found by the review and the adversarial
-- pass (fixseq), one block each, with hand-computed answers.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
\set VERBOSITY default

-- 2. Ties at +infinity: infinity - infinity is a gap of 0, so a@inf b@inf
-- is a match for (?t<=10), (?t==0) and a window of 10 s, and no match for
-- (?t>10) or (?t!=0).  (Upper bounds were searched as "< t + hi + 1",
-- which saturates at +infinity: NULL, NULL and 0 before the fix.)
SELECT sequence_match_events('(?1)(?t<=10)(?2)', ts, k = 'a', k = 'b') AS within_10,
       sequence_match_events('(?w<=10)(?1).*(?2)', ts, k = 'a', k = 'b') AS window_10,
       sequence_match_events('(?1)(?t>10)(?2)', ts, k = 'a', k = 'b') AS over_10,
       sequence_match_events('(?1)(?t!=0)(?2)', ts, k = 'a', k = 'b') AS not_0
FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b')) v(ts, k);
-- a a b b in canonical order, all at +infinity: one match a@0 b@2, then
-- only b@3 is left
SELECT sequence_count('(?1)(?t==0)(?2)', ts, k = 'a', k = 'b') AS count_eq_0,
       sequence_count('(?1)(?t<=0)(?2)', ts, k = 'a', k = 'b') AS count_le_0
FROM (VALUES (timestamptz 'infinity', 'a'), ('infinity', 'b'),
             ('infinity', 'a'), ('infinity', 'b')) v(ts, k);
-- -infinity to +infinity is longer than any duration
SELECT sequence_match_events('(?1)(?t<=10)(?2)', ts, k = 'a', k = 'b') AS within_10,
       sequence_match_events('(?1)(?t>=100000000000)(?2)', ts, k = 'a', k = 'b') AS very_long,
       sequence_match_events('(?w<=100000000000)(?1).*(?2)', ts, k = 'a', k = 'b') AS window
FROM (VALUES (timestamptz '-infinity', 'a'), ('infinity', 'b')) v(ts, k);

-- 3. Durations are exact microseconds: a 7th decimal is refused (22023, at
-- its position) rather than rounded, which made (?t>0.0000005) false
-- between events 1 us apart.  Events a@0 b@1us:
SELECT sequence_match('(?1)(?t>0.0000005)(?2)', ts, k = 'a', k = 'b')
FROM (VALUES (timestamptz '2024-01-01', 'a'), ('2024-01-01 00:00:00.000001', 'b')) v(ts, k);
SELECT sequence_match('(?1)(?t<=''0.5 us'')(?2)', ts, k = 'a', k = 'b')
FROM (VALUES (timestamptz '2024-01-01', 'a'), ('2024-01-01 00:00:00.000001', 'b')) v(ts, k);
SELECT sequence_match('(?1)(?t<=100000000000.000001)(?2)', ts, k = 'a', k = 'b')
FROM (VALUES (timestamptz '2024-01-01', 'a'), ('2024-01-01 00:00:00.000001', 'b')) v(ts, k);
-- 1 us is > 0.000000 and >= 0.000001 but not > 0.000001; '1.5 ms' is
-- 1500 us exactly; 99999999999.999999 s is the largest duration, exact
SELECT sequence_match('(?1)(?t>0.000000)(?2)', ts, k = 'a', k = 'b') AS gt_0,
       sequence_match('(?1)(?t>=0.000001)(?2)', ts, k = 'a', k = 'b') AS ge_1us,
       sequence_match('(?1)(?t>0.000001)(?2)', ts, k = 'a', k = 'b') AS gt_1us,
       sequence_match('(?1)(?t>''0.000999 s'')(?2)', ts, k = 'a', k = 'b') AS gt_999us,
       sequence_match('(?1)(?t<''0.0015 s'')(?2)', ts, k = 'a', k = 'b') AS lt_1500us,
       sequence_match('(?1)(?t==''1.5 ms'')(?2)', ts, k = 'a', k = 'b') AS eq_1500us
FROM (VALUES (timestamptz '2024-01-01', 'a'), ('2024-01-01 00:00:00.000001', 'b')) v(ts, k);
SELECT sequence_match('(?1)(?t==''1.5 ms'')(?2)', ts, k = 'a', k = 'b') AS eq_1500us,
       sequence_match('(?1)(?t==''0.025 minutes'')(?2)', ts, k = 'a', k = 'b') AS eq_1500ms,
       sequence_match('(?1)(?t>=99999999999.999999)(?2)', ts, k = 'a', k = 'b') AS ge_max
FROM (VALUES (timestamptz '2024-01-01', 'a'), ('2024-01-01 00:00:00.0015', 'b')) v(ts, k);

-- 5. A pattern that is not a constant is compared with its group's first
-- row before anything is compiled (it was compiled on every row, so groups
-- alternating between patterns under a hashed aggregate recompiled per row):
-- a malformed pattern on a later row is a mismatch, not a compile error.
SELECT sequence_match(p, ts, k = 'a')
FROM (VALUES ('(?1)', timestamptz '2024-01-01', 'a'), ('(?1', '2024-01-02', 'a')) v(p, ts, k);
SELECT sequence_match(p, ts, k, ARRAY['a'])
FROM (VALUES ('(?1)', timestamptz '2024-01-01', 'a'), ('(?1', '2024-01-02', 'a')) v(p, ts, k);
-- the same pattern on every row, and two groups interleaved
SELECT g, sequence_count(p, ts, k = 'a', k = 'b') AS n
FROM (VALUES (1, '(?1)', timestamptz '2024-01-01', 'a'), (2, '(?2)', '2024-01-01', 'b'),
             (1, '(?1)', '2024-01-02', 'a'), (2, '(?2)', '2024-01-02', 'a'),
             (1, '(?1)', '2024-01-03', 'b'), (2, '(?2)', '2024-01-03', 'b')) v(g, p, ts, k)
GROUP BY g ORDER BY g;

-- 7. The limits of a pattern, each 54000 with a HINT (22023 for the empty
-- window), one event a@2024-01-01:
CREATE TEMP TABLE one AS SELECT timestamptz '2024-01-01' AS ts, 'a' AS k;
-- 24 alternatives between time conditions: 2^24 sets of conditions passed
SELECT sequence_match('(?1)' || (SELECT string_agg(format('((?t<=%s)|(?t>=%s))', i, i + 100), '')
                                 FROM generate_series(1, 24) i) || '(?2)', ts, k = 'a', k = 'b') FROM one;
-- 127 optional steps: about 127^2/2 closure entries, past 8192 (120 pass)
SELECT sequence_match('(?1)(.?){127}(?2)', ts, k = 'a', k = 'b') FROM one;
SELECT sequence_match('(?1)(.?){120}(?2)', ts, k = 'a', k = 'b') FROM one;
-- groups nested 101 deep (100 pass)
SELECT sequence_match(repeat('(', 101) || '(?1)' || repeat(')', 101), ts, k = 'a') FROM one;
SELECT sequence_match(repeat('(', 100) || '(?1)' || repeat(')', 100), ts, k = 'a') FROM one;
-- a window below zero admits nothing
SELECT sequence_match('(?w<0)(?1)', ts, k = 'a') FROM one;
-- 10,004 bytes (10,000 pass: (?1) 2500 times)
SELECT sequence_match(repeat('(?1)', 2501), ts, k = 'a') FROM one;
SELECT sequence_match(repeat('(?1)', 2500), ts, k = 'a') FROM one;
-- 5000 states; nested + without counts; a count over 1000; 65 time conditions
SELECT sequence_match('((?1){1000}){5}', ts, k = 'a') FROM one;
SELECT sequence_match('(?1)' || repeat('(', 13) || '(?1)|.' || repeat(')+', 13), ts, k = 'a') FROM one;
SELECT sequence_match('(?1){1001}', ts, k = 'a') FROM one;
SELECT sequence_match('(?1)' || repeat('(?t>=0)(?1)', 65), ts, k = 'a') FROM one;
-- 65 steps
SELECT sequence_match('(?1)', ts, k, (SELECT array_agg(i::text) FROM generate_series(1, 65) i)) FROM one;

-- The chosen match is the lexicographically earliest list of consumed
-- event indexes among those starting earliest; a match that is a prefix of
-- another is earlier, so the shortest wins.  Written order only decides
-- which atoms report the same events.  a@0 b@1 d@2 c@3:
CREATE TEMP TABLE abdc AS SELECT * FROM (VALUES (0, 'a'), (1, 'b'), (2, 'd'), (3, 'c')) v(s, k);
-- {0,1,3} (a, b, c) before {0,2} (a, d): 1 < 2
SELECT array(SELECT extract(epoch FROM t)::int FROM unnest(
         sequence_match_events('(?1).*((?2).*(?3)|(?4))', to_timestamp(s), k, ARRAY['a', 'b', 'c', 'd'])) t) AS chosen
FROM abdc;
-- {0,1} (a, then b right after) before {0,3} (a .* c), against the written order
SELECT array(SELECT extract(epoch FROM t)::int FROM unnest(
         sequence_match_events('(?1)(.*(?2)|(?4))', to_timestamp(s), k, ARRAY['a', 'c', 'x', 'b'])) t) AS chosen
FROM abdc;
-- (?1)+ on a a a: three matches of one event each
SELECT sequence_count('(?1)+', to_timestamp(s), k, ARRAY['a']) FROM (VALUES (0, 'a'), (1, 'a'), (2, 'a')) v(s, k);

-- A customer without an event of a condition every match needs cannot
-- match, and is answered without matching; a condition only one branch of
-- an alternation needs, or one under ? or *, is not needed.  a@0 b@1:
CREATE TEMP TABLE ab AS SELECT * FROM (VALUES (0, 'a'), (1, 'b')) v(s, k);
SELECT sequence_match('(?1).*(?3)', to_timestamp(s), k, ARRAY['a', 'b', 'c']) AS needs_c,
       sequence_match('((?1)|(?3)).*(?2)', to_timestamp(s), k, ARRAY['a', 'b', 'c']) AS c_or_a,
       sequence_match('(?1)(?3)?(?2)', to_timestamp(s), k, ARRAY['a', 'b', 'c']) AS c_optional,
       sequence_match('(?1)(?3){0,2}(?2)', to_timestamp(s), k, ARRAY['a', 'b', 'c']) AS c_at_most_twice,
       sequence_count('(?1).*(?3)', to_timestamp(s), k, ARRAY['a', 'b', 'c']) AS count_needs_c,
       sequence_match_events('(?1).*(?3)', to_timestamp(s), k, ARRAY['a', 'b', 'c']) AS events_needs_c
FROM ab;
-- the same over the path
SELECT sequence_match(p, '(?1).*(?3)', ARRAY['a', 'b', 'c']) AS needs_c,
       sequence_match(p, '((?1)|(?3)).*(?2)', ARRAY['a', 'b', 'c']) AS c_or_a,
       sequence_match(p, '(?1)(?3)?(?2)', ARRAY['a', 'b', 'c']) AS c_optional,
       sequence_count(p, '(?1).*(?3)', ARRAY['a', 'b', 'c']) AS count_needs_c,
       sequence_match_events(p, '(?1).*(?3)', ARRAY['a', 'b', 'c']) AS events_needs_c,
       sequence_next(p, '(?1).*(?3)', ARRAY['a', 'b', 'c']) AS next_needs_c,
       sequence_next(p, '((?3)|(?1))', ARRAY['a', 'b', 'c']) AS next_c_or_a
FROM (SELECT milestone_path_agg(k, to_timestamp(s)) AS p FROM ab) s;

-- (third adversarial pass) a fraction of a day or week after hh:mm: to
-- PostgreSQL, which reads an interval's parts right to left, '01:00 0.5 day'
-- is 01:00 (the hh:mm replaces the half day's hours); it was read as 13:00
-- here, so b 13 hours after a matched.  Refused now, at the fraction.
SELECT '01:00 0.5 day'::interval AS postgres_reads, '0.5 day 01:00'::interval AS the_other_order;
SELECT sequence_match($$(?1)(?t<='01:00 0.5 day')(?2)$$, ts, e, '{a,b}')
FROM (VALUES (timestamptz '2024-01-01 00:00', 'a'), ('2024-01-01 13:00', 'b')) v(ts, e);
SELECT sequence_match($$(?1)(?t<='01:00 1.5 w')(?2)$$, ts, e, '{a,b}')
FROM (VALUES (timestamptz '2024-01-01 00:00', 'a'), ('2024-01-01 13:00', 'b')) v(ts, e);
-- the fraction first, or a whole number of days after hh:mm, agree with PostgreSQL
SELECT sequence_match($$(?1)(?t<='0.5 day 01:00')(?2)$$, ts, e, '{a,b}') AS half_day_first,
       sequence_match($$(?1)(?t<='00:30 1 day')(?2)$$, ts, e, '{a,b}') AS whole_day_after
FROM (VALUES (timestamptz '2024-01-01 00:00', 'a'), ('2024-01-01 13:00', 'b')) v(ts, e);
-- a number without a unit beside other parts: the message names that rule
-- and points at the number (before: "expected a blank between the parts",
-- or the interval's first character)
SELECT sequence_match($$(?1)(?t<='1 02:00')(?2)$$, ts, e, '{a,b}')
FROM (VALUES (timestamptz '2024-01-01 00:00', 'a')) v(ts, e);
SELECT sequence_match($$(?1)(?t<='1 s 90')(?2)$$, ts, e, '{a,b}')
FROM (VALUES (timestamptz '2024-01-01 00:00', 'a')) v(ts, e);
