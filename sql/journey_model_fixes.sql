-- journey_model: the defects found by the adversarial pass (issue 17), one
-- section each, every one failing before its fix.
SET timezone = 'UTC';

-- 1. a running window aggregate frees the flat copy of the previous row's
--    model: memory stays bounded (before the fix: +80 MB for 1,500 rows,
--    one flat model of up to 1,500 transitions kept per row)
CREATE FUNCTION pg_temp.peak_kb() RETURNS bigint LANGUAGE sql AS
	$$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint $$;
CREATE TEMP TABLE jm_leak AS
SELECT i AS cid, ('l' || (i % 300) || ' -> m' || (i * 7 % 300) || ' -> n' || (i % 11))::milestone_path AS p
FROM generate_series(1, 1500) i;
SELECT pg_temp.peak_kb() AS before \gset
SELECT count(m) FROM (SELECT journey_model_agg(p, 2) OVER (ORDER BY cid) m FROM jm_leak) z;
SELECT pg_temp.peak_kb() - :before < 16384 AS bounded;
