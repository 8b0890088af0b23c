-- pg_temp.outcome(query): the SQLSTATE a query raises, or ok.  Included by
-- the pg_regress files with \i, for errors whose message depends on the plan.
CREATE FUNCTION pg_temp.outcome(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
