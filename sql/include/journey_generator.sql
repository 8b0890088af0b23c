-- sql/include/journey_generator.sql: customer journeys drawn from a known
-- Markov chain, for journey_model's fit test and the demo's accuracy table.
--
-- journey_chain(prev, last, next, probability) is the true chain.  The next
-- step depends on the last step, and for two contexts also on the step
-- before it (order 2):
--   a cart reached from search converts far more often than one reached
--   from browse; a second browse in a row ends the visit more often.
-- A row with prev '*' applies whatever the step before was.  '^' is the
-- start, a NULL next the end.  Every context's probabilities sum to 1.
-- Each step also has a journey_stage (visit, browse, search: wooing; cart,
-- checkout: selling; purchase, support: honeymoon) and the milestones of
-- the demo's growth map are the labels themselves.
--
-- journey_generate(customers, seed) fills journey_events(customer_id, at,
-- label, stage): steps 1 to 60 minutes apart from a start spread over 2026,
-- at most 30 steps a customer, deterministic for a seed (setseed).
CREATE TEMP TABLE journey_chain (prev text, last text, next text, probability float8);
INSERT INTO journey_chain VALUES
	('*', '^', 'visit', 0.7), ('*', '^', 'search', 0.3),
	('*', 'visit', 'browse', 0.5), ('*', 'visit', 'search', 0.3), ('*', 'visit', NULL, 0.2),
	('*', 'browse', 'browse', 0.25), ('*', 'browse', 'cart', 0.3), ('*', 'browse', 'search', 0.15),
	('*', 'browse', 'support', 0.1), ('*', 'browse', NULL, 0.2),
	('browse', 'browse', 'browse', 0.1), ('browse', 'browse', 'cart', 0.2),
	('browse', 'browse', 'search', 0.1), ('browse', 'browse', NULL, 0.6),
	('*', 'search', 'browse', 0.5), ('*', 'search', 'cart', 0.3), ('*', 'search', NULL, 0.2),
	('browse', 'cart', 'checkout', 0.3), ('browse', 'cart', 'browse', 0.4), ('browse', 'cart', NULL, 0.3),
	('search', 'cart', 'checkout', 0.7), ('search', 'cart', 'browse', 0.1), ('search', 'cart', NULL, 0.2),
	('*', 'checkout', 'purchase', 0.6), ('*', 'checkout', 'support', 0.2), ('*', 'checkout', NULL, 0.2),
	('*', 'support', 'checkout', 0.5), ('*', 'support', NULL, 0.5),
	('*', 'purchase', 'browse', 0.4), ('*', 'purchase', NULL, 0.6);

-- The true probability of next after (prev, last): the exact row, else the '*' row.
CREATE FUNCTION pg_temp.journey_truth(p_prev text, p_last text)
RETURNS TABLE(next text, probability float8) LANGUAGE sql STABLE AS $$
	SELECT c.next, c.probability FROM journey_chain c
	WHERE c.last = p_last
	  AND c.prev = CASE WHEN EXISTS (SELECT FROM journey_chain e WHERE e.prev = p_prev AND e.last = p_last)
						THEN p_prev ELSE '*' END
$$;

CREATE TEMP TABLE journey_events (customer_id int, at timestamptz, label text, stage journey_stage);

CREATE FUNCTION pg_temp.journey_generate(customers int, seed float8) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	c int;
	prev text;
	last text;
	nxt text;
	r float8;
	acc float8;
	at timestamptz;
	steps int;
	t record;
BEGIN
	PERFORM setseed(seed);
	FOR c IN 1 .. customers LOOP
		prev := '^';
		last := '^';
		at := timestamptz '2026-01-01 00:00:00+00' + floor(random() * 365 * 24 * 60) * interval '1 minute';
		steps := 0;
		LOOP
			r := random();
			acc := 0;
			nxt := NULL;
			FOR t IN SELECT * FROM pg_temp.journey_truth(prev, last) ORDER BY next NULLS LAST LOOP
				acc := acc + t.probability;
				nxt := t.next;
				EXIT WHEN r < acc;
			END LOOP;
			EXIT WHEN nxt IS NULL OR steps = 30;
			steps := steps + 1;
			at := at + (1 + floor(random() * 60)) * interval '1 minute';
			INSERT INTO journey_events VALUES (c, at, nxt,
				CASE WHEN nxt IN ('visit', 'browse', 'search') THEN 'wooing'
					 WHEN nxt IN ('cart', 'checkout') THEN 'selling'
					 ELSE 'honeymoon' END::journey_stage);
			prev := last;
			last := nxt;
		END LOOP;
	END LOOP;
	RETURN (SELECT count(*) FROM journey_events);
END
$$;
