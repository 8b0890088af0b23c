-- A correct 4-step window funnel in PL/pgSQL, the fastest procedural one we
-- could write: shown for comparison, and checked against.  One pass over the rows in
-- (customer, ts, step) order, keeping per step the latest start of a chain
-- that reached it; exact when each row matches at most one step, as here.
CREATE FUNCTION bench_funnel_reference(tbl regclass, win interval, k1 text, k2 text, k3 text, k4 text)
RETURNS TABLE (customer_id bigint, level int)
LANGUAGE plpgsql AS $$
DECLARE
	r record;
	cur bigint := NULL;
	starts timestamptz[];
	best int;
	step int;
BEGIN
	FOR r IN EXECUTE format(
		'SELECT customer_id, ts, CASE kind WHEN %L THEN 1 WHEN %L THEN 2 WHEN %L THEN 3 WHEN %L THEN 4 END AS step
		 FROM %s WHERE kind IN (%L, %L, %L, %L) ORDER BY customer_id, ts, step',
		k1, k2, k3, k4, tbl, k1, k2, k3, k4)
	LOOP
		IF cur IS DISTINCT FROM r.customer_id THEN
			IF cur IS NOT NULL THEN
				customer_id := cur; level := best; RETURN NEXT;
			END IF;
			cur := r.customer_id;
			starts := ARRAY[NULL, NULL, NULL, NULL]::timestamptz[];
			best := 0;
		END IF;
		step := r.step;
		IF step = 1 THEN
			starts[1] := r.ts;
		ELSIF starts[step - 1] IS NOT NULL AND r.ts - starts[step - 1] <= win THEN
			IF starts[step] IS NULL OR starts[step - 1] > starts[step] THEN
				starts[step] := starts[step - 1];
			END IF;
		ELSE
			CONTINUE;
		END IF;
		IF step > best THEN
			best := step;
		END IF;
	END LOOP;
	IF cur IS NOT NULL THEN
		customer_id := cur; level := best; RETURN NEXT;
	END IF;
END $$;

-- The same funnel in plain SQL, as analysts write it by hand: for each
-- step-1 row, the earliest row of each next step after the previous one and
-- within the window of the start (the earliest is always the best choice
-- when each row matches one step), then the furthest step over all starts.
-- Needs an index on (customer_id, kind, ts); customers without a step-1
-- row are absent (level 0).
CREATE FUNCTION bench_funnel_sql(win interval, k1 text, k2 text, k3 text, k4 text)
RETURNS TABLE (customer_id bigint, level int)
LANGUAGE sql STABLE AS $$
	SELECT e1.customer_id,
		   max(CASE WHEN s4.t IS NOT NULL THEN 4 WHEN s3.t IS NOT NULL THEN 3
					WHEN s2.t IS NOT NULL THEN 2 ELSE 1 END)
	FROM events e1
	LEFT JOIN LATERAL (SELECT min(e.ts) AS t FROM events e
					   WHERE e.customer_id = e1.customer_id AND e.kind = k2
						 AND e.ts >= e1.ts AND e.ts <= e1.ts + win) s2 ON true
	LEFT JOIN LATERAL (SELECT min(e.ts) AS t FROM events e
					   WHERE e.customer_id = e1.customer_id AND e.kind = k3
						 AND e.ts >= s2.t AND e.ts <= e1.ts + win) s3 ON true
	LEFT JOIN LATERAL (SELECT min(e.ts) AS t FROM events e
					   WHERE e.customer_id = e1.customer_id AND e.kind = k4
						 AND e.ts >= s3.t AND e.ts <= e1.ts + win) s4 ON true
	WHERE e1.kind = k1
	GROUP BY e1.customer_id
$$;
