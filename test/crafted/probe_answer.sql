-- Shared by the files of test/crafted that feed one deserialize function
-- crafted bytes (\ir probe_answer.sql after setting cx_probe.deserialize and
-- cx_probe.final): pg_temp.outcome(state) is the final function's answer as
-- text, or the SQLSTATE of the error it raised.
CREATE FUNCTION probe_deserialize_transfn(internal, bytea) RETURNS internal AS :'probe' LANGUAGE C;
CREATE FUNCTION probe_final_text(internal) RETURNS text AS :'probe' LANGUAGE C;
CREATE AGGREGATE probe_answer(bytea) (SFUNC = probe_deserialize_transfn, STYPE = internal,
	FINALFUNC = probe_final_text);
CREATE FUNCTION pg_temp.outcome(state bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	RETURN probe_answer(state);
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
