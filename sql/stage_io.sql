-- journey_stage text and binary I/O
-- canonical names
SELECT 'wooing'::journey_stage, 'selling'::journey_stage, 'honeymoon'::journey_stage,
       'bonding'::journey_stage, 'leadership'::journey_stage;
-- case-insensitive, surrounding white space ignored
SELECT '  WOOING '::journey_stage, E'\tLeadership\n'::journey_stage, 'HoneyMoon'::journey_stage;
-- full slash forms and each of their parts
SELECT 'Selling/Buying'::journey_stage, 'buying'::journey_stage,
       'Honeymoon/Forming/Storming'::journey_stage, 'forming'::journey_stage, 'STORMING'::journey_stage,
       'Bonding/Co-Creation'::journey_stage, 'co-creation'::journey_stage, 'CoCreation'::journey_stage;
-- blanks around a slash are ignored
SELECT 'selling / buying'::journey_stage, ' Honeymoon / Forming /Storming '::journey_stage;
-- the text form of every stage round-trips
SELECT stage, stage::text::journey_stage = stage AS round_trips FROM journey_stages();
-- bad input: 22P02, the value quoted, a hint listing the stages
\set VERBOSITY default
SELECT 'wooed'::journey_stage;
SELECT ''::journey_stage;
SELECT '   '::journey_stage;
SELECT 'selling/'::journey_stage;
SELECT 'buying/selling'::journey_stage;
SELECT 'sell ing'::journey_stage;
SELECT 'co creation'::journey_stage;
-- a 10 kB value is quoted cut, never in full
SELECT repeat('x', 10000)::journey_stage;
-- a cut never splits a multi-byte character
SELECT repeat('é', 100)::journey_stage;
-- the SQLSTATE is 22P02
\set VERBOSITY sqlstate
SELECT 'wooed'::journey_stage;
\set VERBOSITY default
-- pg_input_is_valid-like check through a DO block
DO $$
BEGIN
	PERFORM 'nope'::journey_stage;
EXCEPTION WHEN invalid_text_representation THEN
	RAISE NOTICE 'caught 22P02: %', SQLERRM;
END $$;

-- binary: one byte, the rank
SELECT journey_stage_send('wooing'), journey_stage_send('leadership');
-- COPY BINARY round trip, through a file in the data directory
\i sql/include/write_copy_file.sql
CREATE TABLE stage_copy (id int, s journey_stage);
INSERT INTO stage_copy SELECT rank, stage FROM journey_stages();
INSERT INTO stage_copy VALUES (6, NULL);
COPY stage_copy TO :'copyfile' (FORMAT binary);
CREATE TABLE stage_copy2 (LIKE stage_copy);
COPY stage_copy2 FROM :'copyfile' (FORMAT binary);
SELECT * FROM stage_copy2 ORDER BY id;
SELECT count(*) AS same_rows FROM stage_copy a JOIN stage_copy2 b ON a.id = b.id AND a.s IS NOT DISTINCT FROM b.s;
-- receiving a byte that is no stage rank is an error
CREATE TABLE stage_one (s journey_stage);
SELECT pg_temp.write_copy_file('\x07', :'copyfile');
COPY stage_one FROM :'copyfile' (FORMAT binary);
SELECT pg_temp.write_copy_file('\x00', :'copyfile');
COPY stage_one FROM :'copyfile' (FORMAT binary);
-- two bytes where one is expected
SELECT pg_temp.write_copy_file('\x0202', :'copyfile');
COPY stage_one FROM :'copyfile' (FORMAT binary);
-- no byte at all
SELECT pg_temp.write_copy_file('\x', :'copyfile');
COPY stage_one FROM :'copyfile' (FORMAT binary);
-- a valid byte is accepted
SELECT pg_temp.write_copy_file('\x04', :'copyfile');
COPY stage_one FROM :'copyfile' (FORMAT binary);
SELECT * FROM stage_one;
DROP TABLE stage_copy, stage_copy2, stage_one;
