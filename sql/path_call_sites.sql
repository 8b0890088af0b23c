--
-- The path functions called from one call site with arguments that change
-- between calls.  PL/pgSQL keeps a simple expression's state (and so the
-- functions' fn_extra caches) for the whole transaction while its variables
-- change: the functions must compare their arguments on every call, never
-- trust them as constants of the query.
--
SET TimeZone = 'UTC';
CREATE FUNCTION pl_level(p milestone_path, w interval, m text, s text[]) RETURNS int
LANGUAGE plpgsql AS $$ BEGIN RETURN window_funnel(p, w, m, s); END $$;
CREATE FUNCTION pl_level(p milestone_path, w interval, s text[]) RETURNS int
LANGUAGE plpgsql AS $$ BEGIN RETURN window_funnel(p, w, s); END $$;
CREATE FUNCTION pl_times(p milestone_path, w interval, s text[]) RETURNS timestamptz[]
LANGUAGE plpgsql AS $$ BEGIN RETURN window_funnel_times(p, w, s); END $$;
CREATE FUNCTION pl_convert(p milestone_path, w interval, s text[]) RETURNS interval
LANGUAGE plpgsql AS $$ BEGIN RETURN time_to_convert(p, w, s); END $$;
CREATE FUNCTION pl_retention(p milestone_path, s text[]) RETURNS bool[]
LANGUAGE plpgsql AS $$ BEGIN RETURN retention(p, s); END $$;
CREATE FUNCTION pl_sessions(p milestone_path, g interval) RETURNS bigint
LANGUAGE plpgsql AS $$ BEGIN RETURN (session_stats(p, g)).sessions; END $$;
CREATE FUNCTION pl_milestone(p milestone_path, m text[]) RETURNS int
LANGUAGE plpgsql AS $$ BEGIN RETURN milestone_level(p, m); END $$;

-- steps change: a then b one day apart (the window is inclusive)
SELECT i, s, pl_level(p, '1 day', s) AS via_plpgsql, window_funnel(p, '1 day', s) AS direct,
       pl_retention(p, s) AS retention_via_plpgsql, retention(p, s) AS retention_direct,
       pl_milestone(p, s) AS level_via_plpgsql
FROM (VALUES ('a@2024-01-01 -> b@2024-01-02'::milestone_path)) v(p),
     (VALUES (1, ARRAY['a', 'b']), (2, ARRAY['b', 'a']), (3, ARRAY['x']), (4, ARRAY['a', 'b'])) t(i, s)
ORDER BY i;

-- the window changes: b comes 30 minutes after a
SELECT i, w, pl_level(p, w, ARRAY['a', 'b']) AS level, pl_times(p, w, ARRAY['a', 'b']) AS times,
       pl_convert(p, w, ARRAY['a', 'b']) AS to_convert
FROM (VALUES ('a@2024-01-01 00:00 -> b@2024-01-01 00:30'::milestone_path)) v(p),
     (VALUES (1, interval '1 hour'), (2, interval '0'), (3, interval '30 minutes'),
             (4, interval '29 minutes')) t(i, w)
ORDER BY i;

-- the mode changes: under strict_order the c between a and b breaks the chain
SELECT i, m, pl_level(p, '1 day', m, ARRAY['a', 'b']) AS level
FROM (VALUES ('a@2024-01-01 00:00 -> c@2024-01-01 00:10 -> b@2024-01-01 00:20'::milestone_path)) v(p),
     (VALUES (1, ''), (2, 'strict_order'), (3, ''), (4, 'strict_increase')) t(i, m)
ORDER BY i;

-- a bad mode after good ones in the same transaction still raises
BEGIN;
SELECT pl_level('a@2024-01-01'::milestone_path, '1 day', '', ARRAY['a']);
SELECT pl_level('a@2024-01-01'::milestone_path, '1 day', 'bogus', ARRAY['a']);
ROLLBACK;

-- the gap changes: rows at 00:00, 00:10 and 01:00
SELECT i, g, pl_sessions(p, g) AS sessions
FROM (VALUES ('a@2024-01-01 00:00 -> a@2024-01-01 00:10 -> a@2024-01-01 01:00'::milestone_path)) v(p),
     (VALUES (1, interval '15 minutes'), (2, interval '1 hour'), (3, interval '5 minutes')) t(i, g)
ORDER BY i;

-- a growth map past its limit raises 54000 before the map is read
SELECT milestone_level('a@2024-01-01'::milestone_path, array_fill('x'::text, ARRAY[1000001]));

DROP FUNCTION pl_level(milestone_path, interval, text, text[]), pl_level(milestone_path, interval, text[]),
  pl_times, pl_convert, pl_retention, pl_sessions, pl_milestone;
