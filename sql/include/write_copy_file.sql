-- pg_temp.write_copy_file(payload, path): write a binary COPY file of one
-- row with one field holding payload, for feeding crafted bytes to a type's
-- receive function.  Included by the pg_regress files with \i.
SELECT current_setting('data_directory') || '/cx_copy_test.bin' AS copyfile \gset
CREATE FUNCTION pg_temp.write_copy_file(payload bytea, path text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	o oid;
BEGIN
	-- binary COPY: signature, flags, header extension, one field, trailer
	o := lo_from_bytea(0, '\x5047434f50590aff0d0a000000000000000000'::bytea || '\x0001'::bytea
		|| int4send(length(payload)) || payload || '\xffff'::bytea);
	PERFORM lo_export(o, path);
	PERFORM lo_unlink(o);
END $$;
