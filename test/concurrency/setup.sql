-- Reference answers of a single client, and the checks each pgbench
-- transaction runs against them (test/t_concurrency.sh).
SET timezone = 'UTC';
CREATE TABLE ref_funnel AS
	SELECT customer_id,
		   window_funnel(interval '7 days', ts, kind = 'visit', kind = 'view_product', kind = 'add_to_cart', kind = 'purchase') AS level,
		   time_to_convert(interval '7 days', 'strict_increase', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']) AS ttc
	FROM events GROUP BY customer_id;
-- (rows at one instant share a session; their positions in it are a set)
CREATE TABLE ref_session AS
	SELECT customer_id, ts, sum(session) AS session, sum(seq) AS seq FROM (
		SELECT customer_id, ts,
			   session_id(ts, interval '30 minutes') OVER w AS session,
			   session_seq(ts, interval '30 minutes', max_events => 5) OVER w AS seq
		FROM events WINDOW w AS (PARTITION BY customer_id ORDER BY ts)) s
	GROUP BY customer_id, ts;
CREATE TABLE paths AS SELECT customer_id, milestone_path_agg(kind, ts) AS path FROM events GROUP BY customer_id;
ALTER TABLE paths ADD PRIMARY KEY (customer_id);
CREATE INDEX paths_gin ON paths USING gin (path);
CREATE TABLE ref_path AS
	SELECT (SELECT count(*) FROM paths WHERE path @> 'add_to_cart -> purchase') AS cart_then_purchase,
		   (SELECT count(*) FROM paths WHERE path @> 'signup -> review -> vip_invite') AS signup_review_vip;

-- customers lo .. lo + 49: the funnel aggregates give the reference answers
CREATE FUNCTION check_funnel(lo int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (
		SELECT FROM (SELECT customer_id,
							window_funnel(interval '7 days', ts, kind = 'visit', kind = 'view_product', kind = 'add_to_cart', kind = 'purchase') AS level,
							time_to_convert(interval '7 days', 'strict_increase', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']) AS ttc
					 FROM events WHERE customer_id BETWEEN lo AND lo + 49 GROUP BY customer_id) a
		FULL JOIN (SELECT * FROM ref_funnel WHERE customer_id BETWEEN lo AND lo + 49) r USING (customer_id)
		WHERE (a.level, a.ttc) IS DISTINCT FROM (r.level, r.ttc)) THEN
		RAISE EXCEPTION 'funnel answers differ for customers % to %', lo, lo + 49;
	END IF;
END $$;

-- the session window functions give the reference numbers
CREATE FUNCTION check_session(lo int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (
		SELECT FROM (SELECT customer_id, ts, sum(session) AS session, sum(seq) AS seq FROM (
						 SELECT customer_id, ts,
								session_id(ts, interval '30 minutes') OVER w AS session,
								session_seq(ts, interval '30 minutes', max_events => 5) OVER w AS seq
						 FROM events WHERE customer_id BETWEEN lo AND lo + 49
						 WINDOW w AS (PARTITION BY customer_id ORDER BY ts)) s
					 GROUP BY customer_id, ts) a
		FULL JOIN (SELECT * FROM ref_session WHERE customer_id BETWEEN lo AND lo + 49) r
			USING (customer_id, ts)
		WHERE (a.session, a.seq) IS DISTINCT FROM (r.session, r.seq)) THEN
		RAISE EXCEPTION 'session numbers differ for customers % to %', lo, lo + 49;
	END IF;
END $$;

-- rewrite one stored path (GIN maintenance under load), rebuild another
-- from its rows, and count through the index: always the reference answers
CREATE FUNCTION check_path(c int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE paths SET path = path || ''::milestone_path WHERE customer_id = c;
	IF (SELECT path FROM paths WHERE customer_id = c) IS DISTINCT FROM
	   (SELECT milestone_path_agg(kind, ts) FROM events WHERE customer_id = c) THEN
		RAISE EXCEPTION 'the path of customer % differs', c;
	END IF;
	SET LOCAL enable_seqscan = off;
	IF ((SELECT count(*) FROM paths WHERE path @> 'add_to_cart -> purchase'),
		(SELECT count(*) FROM paths WHERE path @> 'signup -> review -> vip_invite'))
	   IS DISTINCT FROM (SELECT (cart_then_purchase, signup_review_vip) FROM ref_path) THEN
		RAISE EXCEPTION 'path counts through the GIN index differ';
	END IF;
END $$;
