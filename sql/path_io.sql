-- milestone_path text, binary and JSON forms
SET TimeZone = 'UTC';
-- steps with times; any timestamptz spelling in, ISO out
SELECT 'visit@2024-01-05 10:00+00 -> cart@2024-01-05 10:02:30+00 -> buy@Jan 6 2024 09:00 UTC'::milestone_path;
-- labels alone (a pattern); white space around labels and arrows is free
SELECT 'visit->cart->  buy  '::milestone_path, '  visit  ->  cart'::milestone_path;
-- inner white space belongs to a bare label
SELECT 'visited the site -> added to  cart'::milestone_path;
-- quoting: labels with ", \, @, -> or surrounding blanks are quoted on output
SELECT E'"say \\"hi\\"" -> "back\\\\slash" -> "a@b" -> "x->y" -> " padded " -> "plain"'::milestone_path;
-- non-ASCII letters need no quotes
SELECT 'café -> 購入 -> Ölfass'::milestone_path;
-- a hyphen or '>' alone is a label; a label may end in '-'
SELECT 'sign-up -> - -> > -> pre-'::milestone_path;
-- the empty path
SELECT ''::milestone_path AS empty, '   '::milestone_path AS blank, length(''::milestone_path);
-- equal times are fine, in the order written
SELECT 'b@2024-01-01 -> a@2024-01-01'::milestone_path;
-- output ignores DateStyle and reads back under another one
SET DateStyle = 'SQL, DMY';
SELECT 'a@2024-02-03 04:05:06.789+00'::milestone_path;
SELECT 'a@2024-02-03 04:05:06.789+00'::milestone_path::text::milestone_path = 'a@2024-02-03 04:05:06.789+00'::milestone_path AS same;
RESET DateStyle;
-- times are shown in the session's time zone
SET TimeZone = 'America/New_York';
SELECT 'a@2024-07-01 12:00+00'::milestone_path;
SET TimeZone = 'UTC';
-- text round trips of awkward labels
SELECT p::text, p::text::milestone_path = p AS round_trips
FROM (VALUES ('"a\"b"'::milestone_path), (E'"tab\there"'), ('"trailing "'), ('"->"'), ('"@"'),
             ('"\\"'), ('"x" -> "x" -> x'), (E'"new\nline"')) v(p);
-- the longest label (255 bytes) is accepted
SELECT length(milestone_at((repeat('x', 255) || ' -> b')::milestone_path, 1)) AS longest_label;

-- bad input: 22P02, the literal quoted, the character position and what was expected
\set VERBOSITY default
SELECT 'a -> -> b'::milestone_path;
SELECT 'a ->'::milestone_path;
SELECT '-> a'::milestone_path;
SELECT '"unbalanced -> b'::milestone_path;
SELECT '"a" -> "b'::milestone_path;
SELECT 'a -> "" -> b'::milestone_path;
SELECT 'a "b"'::milestone_path;
SELECT 'a \ b'::milestone_path;
SELECT 'a@'::milestone_path;
SELECT 'a@ -> b@2024-01-01'::milestone_path;
SELECT 'a@2024-01-01 -> b'::milestone_path;
SELECT 'a -> b@2024-01-01'::milestone_path;
SELECT 'a@2024-01-02 -> b@2024-01-01'::milestone_path;
SELECT 'a@2024-13-45'::milestone_path;
SELECT 'a@2024-01-01 junk'::milestone_path;
SELECT 'a@infinity'::milestone_path;
SELECT '"a" junk'::milestone_path;
-- a 300-byte label
SELECT (repeat('x', 300) || ' -> b')::milestone_path;
-- positions count characters, not bytes
SELECT 'éé -> -> b'::milestone_path;
\set VERBOSITY sqlstate
SELECT 'a -> -> b'::milestone_path;
SELECT 'a@2024-13-45'::milestone_path;
SELECT (repeat('x', 300))::milestone_path;
\set VERBOSITY default

-- binary: COPY BINARY round-trips
CREATE TABLE path_io (id int, p milestone_path);
INSERT INTO path_io VALUES
	(1, 'visit@2024-01-05 10:00+00 -> "added to cart"@2024-01-05 10:02+00 -> visit@2024-01-06 09:00+00'),
	(2, 'visit -> "a\"b" -> café'),
	(3, ''),
	(4, NULL);
\i sql/include/write_copy_file.sql
COPY path_io TO :'copyfile' WITH (FORMAT binary);
CREATE TABLE path_io_back (LIKE path_io);
COPY path_io_back FROM :'copyfile' WITH (FORMAT binary);
SELECT a.id, a.p IS NOT DISTINCT FROM b.p AS same, b.p FROM path_io a JOIN path_io_back b USING (id) ORDER BY id;
-- the send format: flags, step count, per step a counted label and the time
SELECT milestone_path_send('a@2000-01-01 00:00:01+00 -> bc@2000-01-01 00:00:02+00');
SELECT milestone_path_send('a -> a');
-- crafted bytes: every part of the received value is checked (22P03)
CREATE TABLE path_one (p milestone_path);
-- a valid value: no times, one step "a"
SELECT pg_temp.write_copy_file('\x00000000010000000161', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
-- bad flags
SELECT pg_temp.write_copy_file('\x02000000010000000161', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
-- negative and huge step counts (a count the bytes cannot hold is malformed, 22P03)
SELECT pg_temp.write_copy_file('\x00ffffffff', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x007fffffff0000000161', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
-- a value that really holds one step more than a path may have: 54000
SELECT pg_temp.write_copy_file('\x00' || int4send(1000001) || decode(repeat('0000000161', 1000001), 'hex'), :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
-- more steps than bytes
SELECT pg_temp.write_copy_file('\x00000000030000000161', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
-- label length zero, past the end, over 255
SELECT pg_temp.write_copy_file('\x00000000010000000000', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x00000000010000000961', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x0000000001' || int4send(300) || convert_to(repeat('z', 300), 'UTF8'), :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
-- a zero byte or invalid UTF-8 in a label
SELECT pg_temp.write_copy_file('\x000000000100000002610062', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x00000000010000000261ff', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x000000000100000001ff', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
-- a truncated time, an infinite time, times going back
SELECT pg_temp.write_copy_file('\x01000000010000000161000000', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x010000000100000001617fffffffffffffff', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x01000000020000000161000000000000000a00000001620000000000000009', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
-- trailing bytes
SELECT pg_temp.write_copy_file('\x0000000001000000016100', :'copyfile');
COPY path_one FROM :'copyfile' (FORMAT binary);
SELECT * FROM path_one;
DROP TABLE path_one;

-- JSON: an array of {"label", "at"} objects, and back
SELECT 'visit@2024-01-05 10:00+00 -> "say \"hi\""@2024-01-05 10:02:00.5+00'::milestone_path::json;
SELECT 'visit -> buy'::milestone_path::json, ''::milestone_path::json;
SELECT p::json::milestone_path = p AS json_round_trips FROM path_io WHERE p IS NOT NULL ORDER BY id;
SELECT milestone_path('[{"label": "visit", "at": "2024-01-05T10:00:00+00:00"}, {"at": "2024-01-06 08:00Z", "label": "buy"}]'::json);
SELECT milestone_path('[{"label": "visit"}, {"label": "buy", "at": null}]'::json);
SELECT milestone_path('[{"label": "caf\u00e9 \ud83d\ude00"}]'::json), milestone_path('[]'::json);
SELECT '[{"label": "a"}]'::json::milestone_path;
-- a json column converts with the function
SELECT milestone_path(j) FROM (VALUES ('[{"label": "x"}]'::json)) v(j);
-- malformed JSON or a wrong shape: 22P02 with the reason
SELECT milestone_path('[{"label": "a"}'::json);
SELECT milestone_path('{"label": "a"}'::json);
SELECT milestone_path('null'::json);
SELECT milestone_path('[1]'::json);
SELECT milestone_path('[{"at": "2024-01-01"}]'::json);
SELECT milestone_path('[{"label": 5}]'::json);
SELECT milestone_path('[{"label": ""}]'::json);
SELECT milestone_path('[{"label": "a\u0000b"}]'::json);
SELECT milestone_path('[{"label": "a", "when": "2024-01-01"}]'::json);
SELECT milestone_path('[{"label": "a", "at": 20240101}]'::json);
SELECT milestone_path('[{"label": "a", "at": "soon"}]'::json);
SELECT milestone_path('[{"label": "a", "at": "2024-01-02"}, {"label": "b", "at": "2024-01-01"}]'::json);
SELECT milestone_path('[{"label": "a", "at": "2024-01-02"}, {"label": "b"}]'::json);
SELECT milestone_path('[[[[[[[[[[[[{"label": "a"}]]]]]]]]]]]]'::json);
SELECT milestone_path(json_build_array(json_build_object('label', repeat('y', 256))));
\set VERBOSITY sqlstate
SELECT milestone_path('[1]'::json);
SELECT milestone_path('[{"label": "a", "at": "soon"}]'::json);
\set VERBOSITY default
DROP TABLE path_io, path_io_back;
