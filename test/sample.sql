-- test/sample.sql: deterministic sample of customer events and stage changes.
-- psql variables: customers, events_per_customer, days, seed.
-- The same variables give the same rows (setseed + a serial plan).
\set ON_ERROR_STOP 1
SET max_parallel_workers_per_gather = 0;
SELECT setseed(:seed) \gset

CREATE TABLE events (
	customer_id bigint NOT NULL,
	ts timestamptz NOT NULL,
	kind text NOT NULL
);
COMMENT ON TABLE events IS 'sample customer events (deterministic, see test/sample.sql)';

-- About ten event kinds, weighted like a web shop: many visits, few
-- purchases.  Each customer comes back on six visits spread over three weeks
-- that start on a day derived from the customer id; a visit lasts up to 45
-- minutes.  So funnels within a week and sessions of a few events happen.
INSERT INTO events (customer_id, ts, kind)
SELECT c,
	   timestamptz '2026-01-01 00:00:00+00'
		 + ((c * 7919) % greatest(:days - 21, 1)) * interval '1 day'
		 + floor(r_visit * 6) * interval '3 days 11 hours'
		 + date_trunc('second', r_minute * interval '45 minutes'),
	   (ARRAY['visit', 'visit', 'visit', 'visit', 'visit', 'visit',
			  'view_product', 'view_product', 'view_product', 'view_product',
			  'signup', 'signup', 'newsletter', 'add_to_cart', 'add_to_cart',
			  'checkout', 'purchase', 'support_ticket', 'review', 'vip_invite'])
		 [1 + floor(r_kind * 20)::int]
FROM (
	SELECT 1 + floor(random() * :customers)::bigint AS c,
		   random() AS r_visit, random() AS r_minute, random() AS r_kind
	FROM generate_series(1, :customers * :events_per_customer)
) AS r;

-- Each customer moves through one to six stage changes, mostly forward,
-- sometimes thrown back two stages.
CREATE TABLE stage_changes (
	customer_id bigint NOT NULL,
	stage journey_stage NOT NULL,
	at timestamptz NOT NULL
);
COMMENT ON TABLE stage_changes IS 'sample stage changes (deterministic, see test/sample.sql)';

INSERT INTO stage_changes (customer_id, stage, at)
SELECT c,
	   greatest(1, least(5, k - CASE WHEN k > 2 AND random() < 0.15 THEN 2 ELSE 0 END))::int::journey_stage,
	   timestamptz '2026-01-01 00:00:00+00'
		 + ((k - 1) * 12 + floor(random() * 10)) * interval '1 day'
FROM generate_series(1, :customers) AS c,
	 LATERAL (SELECT 1 + floor(random() * 6)::int + 0 * c AS n) AS m,
	 LATERAL generate_series(1, m.n) AS k;

ANALYZE events;
ANALYZE stage_changes;
RESET max_parallel_workers_per_gather;
