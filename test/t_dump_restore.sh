# Dump and restore across the 0.3.0 renames (sourced by test/run).
#
# A database made with cx_journey 0.2.0 holds tables, views, a materialized
# view and a SQL function written with the names of 0.2.0:
# stage_timeline(stage, at), entered_at, milestone_at, session_stats(ts, gap)
# with (s).max_duration, and window_funnel in every mode.  Its plain pg_dump
# must restore with no error into a database that gets the default version
# (pg_dump writes CREATE EXTENSION without a version), and answer the same
# (a custom-format dump through pg_restore too);
# ALTER EXTENSION UPDATE of the 0.2.0 database itself must keep the same
# answers, with the views now naming the new objects; and the dump of that
# upgraded database must restore too.  The answers are checked against hand
# computed ones (below), so the comparisons cannot pass on empty or
# NULL results.

CX_DUMP_DIR="$CX_TMP/dump_restore"
CX_DUMP_VIEWS="v_stage v_stored mv_stage v_path v_second_milestone v_session v_session_ts v_funnel v_funnel_report"

cx_dump_default_version() {
	sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$CX_ROOT/cx_journey.control"
}

cx_dump_extversion() {
	cx_psql -d "$1" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'cx_journey'"
}

# Every view's rows, in a stable order, under one heading each.
cx_dump_answers() {
	local db=$1 v
	for v in $CX_DUMP_VIEWS; do
		echo "== $v"
		cx_psql -d "$db" -At -c "SELECT * FROM $v ORDER BY 1" || return 1
	done
}

# The answers, computed by hand.  Window 1 hour; web events on 2026-03-02:
# customer 1 visit 10:00, cart 10:10, buy 10:20 (converts in 20 minutes);
# 2 visit 10:00, cart 10:30; 3 cart 10:00, visit 10:05, buy 10:10 (no cart
# after the visit); 4 visit 10:00, cart 11:30, buy 11:40 (the cart is past
# the window); 5 buy 10:00.  Every step occurs at most once, in no tie, so
# every mode gives the level of the plain funnel.  Sessions with a 30-minute
# gap (a gap of exactly 30 minutes does not split): customer 4 has two, of 0
# and 10 minutes (average 5, 1.5 rows each).  funnel_counts of levels 3,2,1,1,0: {4,2,1}.  Stage changes:
# customer 1 wooing 01-01, selling 01-03, honeymoon 01-10, selling 01-20;
# 2 wooing 01-02, bonding 01-05 (furthest: honeymoon, rank 3; bonding, 4).  Paths: customer 1 visit 10:00, cart
# 10:02, visit 10:05, buy 10:09; 2 visit 09:00.
cx_dump_expected() {
	cat <<'EOF'
== v_stage
1|selling|2026-01-03 00:00:00+00|2026-01-01 00:00:00+00|1
2|bonding||2026-01-02 00:00:00+00|0
== v_stored
1|2026-01-01 00:00:00+00|honeymoon|visit|cart
2|2026-01-02 00:00:00+00|bonding|visit|
== mv_stage
1|2026-01-03 00:00:00+00|3
2||4
== v_path
1|cart|buy|2026-03-02 10:00:00+00
2||visit|2026-03-02 09:00:00+00
== v_second_milestone
1|cart
2|
== v_session
1|1|00:20:00|00:20:00|3.00
2|1|00:30:00|00:30:00|2.00
3|1|00:10:00|00:10:00|3.00
4|2|00:05:00|00:10:00|1.50
5|1|00:00:00|00:00:00|1.00
== v_session_ts
1|1|00:20:00
2|1|00:30:00
3|1|00:10:00
4|2|00:10:00
5|1|00:00:00
== v_funnel
1|3|3|3|3|3|3|3|00:20:00
2|2|2|2|2|2|2|2|
3|1|1|1|1|1|1|1|
4|1|1|1|1|1|1|1|
5|0|0|0|0|0|0|0|
== v_funnel_report
{4,2,1}
EOF
}

# The 0.2.0 database: its data, and objects written with the 0.2.0 names.
cx_dump_make_source() {
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_dump_src" -c "CREATE DATABASE cx_dump_src" >/dev/null
	cx_psql -d cx_dump_src <<'SQL'
CREATE EXTENSION cx_journey VERSION '0.2.0';

CREATE TABLE stage_events (customer int, stage journey_stage, at timestamptz);
INSERT INTO stage_events VALUES
	(1, 'wooing', '2026-01-01 00:00+00'), (1, 'selling', '2026-01-03 00:00+00'),
	(1, 'honeymoon', '2026-01-10 00:00+00'), (1, 'selling', '2026-01-20 00:00+00'),
	(2, 'wooing', '2026-01-02 00:00+00'), (2, 'bonding', '2026-01-05 00:00+00');

CREATE TABLE path_events (customer int, label text, at timestamptz);
INSERT INTO path_events VALUES
	(1, 'visit', '2026-03-02 10:00+00'), (1, 'cart', '2026-03-02 10:02+00'),
	(1, 'visit', '2026-03-02 10:05+00'), (1, 'buy', '2026-03-02 10:09+00'),
	(2, 'visit', '2026-03-02 09:00+00');

CREATE TABLE web_events (customer int, ts timestamptz, event text);
INSERT INTO web_events VALUES
	(1, '2026-03-02 10:00+00', 'visit'), (1, '2026-03-02 10:10+00', 'cart'), (1, '2026-03-02 10:20+00', 'buy'),
	(2, '2026-03-02 10:00+00', 'visit'), (2, '2026-03-02 10:30+00', 'cart'),
	(3, '2026-03-02 10:00+00', 'cart'), (3, '2026-03-02 10:05+00', 'visit'), (3, '2026-03-02 10:10+00', 'buy'),
	(4, '2026-03-02 10:00+00', 'visit'), (4, '2026-03-02 11:30+00', 'cart'), (4, '2026-03-02 11:40+00', 'buy'),
	(5, '2026-03-02 10:00+00', 'buy');

-- values of the extension's types stored in tables
CREATE TABLE stored_timelines AS
	SELECT customer, stage_timeline(stage, at) AS t FROM stage_events GROUP BY customer;
CREATE TABLE stored_paths AS
	SELECT customer, milestone_path_agg(label, at) AS p FROM path_events GROUP BY customer;

CREATE VIEW v_stage AS
	SELECT customer, current_stage(stage_timeline(stage, at)) AS current,
		entered_at(stage_timeline(stage, at), 'selling') AS selling_at,
		entered_at(stage_timeline(stage, at), 'wooing') AS wooing_at,
		regressions(stage_timeline(stage, at)) AS regressions
	FROM stage_events GROUP BY customer;
CREATE VIEW v_stored AS
	SELECT customer, entered_at(t, 'wooing') AS wooing_at, stage_at(t, '2026-01-15 00:00+00') AS mid_january,
		milestone_at(p, 1) AS first, milestone_at(p, 2) AS second
	FROM stored_timelines JOIN stored_paths USING (customer);
-- a materialized view is refreshed by the restore: the old names run then
CREATE MATERIALIZED VIEW mv_stage AS
	SELECT customer, entered_at(stage_timeline(stage, at), 'selling') AS selling_at,
		stage_rank(furthest_stage(stage_timeline(stage, at))) AS furthest
	FROM stage_events GROUP BY customer;
CREATE VIEW v_path AS
	SELECT customer, milestone_at(milestone_path_agg(label, at), 2) AS second,
		milestone_at(milestone_path_agg(label, at), -1) AS last,
		reached_at(milestone_path_agg(label, at), 'visit') AS visit_at
	FROM path_events GROUP BY customer;
-- a SQL-standard function body is stored parsed, like a view
CREATE FUNCTION second_milestone(p milestone_path) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT
	BEGIN ATOMIC SELECT milestone_at(p, 2); END;
CREATE VIEW v_second_milestone AS
	SELECT customer, second_milestone(p) AS second FROM stored_paths;
-- v_session and v_session_ts rely, once the session branch is merged, on
-- its deprecated aliases session_stats(ts, gap) (timestamptz and timestamp)
-- and the deprecated column max_duration of session_summary
CREATE VIEW v_session AS
	SELECT customer, (s).sessions, (s).avg_duration, (s).max_duration, round((s).avg_events, 2) AS avg_events
	FROM (SELECT customer, session_stats(ts, interval '30 minutes') AS s
		FROM web_events GROUP BY customer) q;
CREATE VIEW v_session_ts AS
	SELECT customer, (session_stats(ts AT TIME ZONE 'UTC', interval '30 minutes')).sessions,
		(session_stats(ts AT TIME ZONE 'UTC', interval '30 minutes')).max_duration
	FROM web_events GROUP BY customer;
CREATE VIEW v_funnel AS
	SELECT customer,
		window_funnel(interval '1 hour', ts, event = 'visit', event = 'cart', event = 'buy') AS plain,
		window_funnel(interval '1 hour', 'strict_order', ts, event = 'visit', event = 'cart', event = 'buy') AS strict_order,
		window_funnel(interval '1 hour', 'strict_deduplication', ts, event = 'visit', event = 'cart', event = 'buy') AS strict_deduplication,
		window_funnel(interval '1 hour', 'strict_increase', ts, event = 'visit', event = 'cart', event = 'buy') AS strict_increase,
		window_funnel(interval '1 hour', 'first_entry', ts, event = 'visit', event = 'cart', event = 'buy') AS first_entry,
		window_funnel(interval '1 hour', ts, event, ARRAY['visit', 'cart', 'buy']) AS event_form,
		window_funnel(interval '1 hour', 'strict_order', ts, event, ARRAY['visit', 'cart', 'buy']) AS event_form_mode,
		time_to_convert(interval '1 hour', ts, event = 'visit', event = 'cart', event = 'buy') AS time_to_convert
	FROM web_events GROUP BY customer;
CREATE VIEW v_funnel_report AS
	SELECT funnel_counts(plain, 3) FROM v_funnel;
SQL
}

# The 0.2.0 database answers as computed by hand, and its plain pg_dump
# restores with no error (ON_ERROR_STOP) into a new database, which gets the
# default version and gives the same answers.
check_dump_020_restores() {
	local default
	default=$(cx_dump_default_version)
	rm -rf "$CX_DUMP_DIR" && mkdir -p "$CX_DUMP_DIR"
	cx_dump_make_source >/dev/null || return 1
	[ "$(cx_dump_extversion cx_dump_src)" = 0.2.0 ] || { echo "source is not 0.2.0"; return 1; }
	cx_dump_answers cx_dump_src >"$CX_DUMP_DIR/source.txt" || return 1
	diff <(cx_dump_expected) "$CX_DUMP_DIR/source.txt" || { echo "0.2.0 answers differ from the hand-computed ones"; return 1; }
	"$CX_BINDIR/pg_dump" -d cx_dump_src -f "$CX_DUMP_DIR/dump-0.2.0.sql" || return 1
	grep -q 'CREATE EXTENSION IF NOT EXISTS cx_journey WITH SCHEMA public;' "$CX_DUMP_DIR/dump-0.2.0.sql" || return 1
	grep -q 'public.entered_at(' "$CX_DUMP_DIR/dump-0.2.0.sql" || { echo "the dump does not use entered_at"; return 1; }
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_dump_restored" -c "CREATE DATABASE cx_dump_restored" >/dev/null
	cx_psql -d cx_dump_restored -f "$CX_DUMP_DIR/dump-0.2.0.sql" >"$CX_DUMP_DIR/restore.log" 2>&1 ||
		{ tail -20 "$CX_DUMP_DIR/restore.log"; return 1; }
	! grep -E 'ERROR|WARNING' "$CX_DUMP_DIR/restore.log" || return 1
	echo "restored into $(cx_dump_extversion cx_dump_restored)"
	[ "$(cx_dump_extversion cx_dump_restored)" = "$default" ] || return 1
	diff "$CX_DUMP_DIR/source.txt" <(cx_dump_answers cx_dump_restored)
}
cx_check "dump-restore/0.2.0-dump-restores-into-default" check_dump_020_restores

# The same with a custom-format dump and pg_restore --exit-on-error.
check_dump_020_pg_restore() {
	[ -f "$CX_DUMP_DIR/source.txt" ] || { echo "no source database"; return 1; }
	"$CX_BINDIR/pg_dump" -Fc -d cx_dump_src -f "$CX_DUMP_DIR/dump-0.2.0.custom" || return 1
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_dump_custom" -c "CREATE DATABASE cx_dump_custom" >/dev/null
	"$CX_BINDIR/pg_restore" --exit-on-error -d cx_dump_custom "$CX_DUMP_DIR/dump-0.2.0.custom" || return 1
	[ "$(cx_dump_extversion cx_dump_custom)" = "$(cx_dump_default_version)" ] || return 1
	diff "$CX_DUMP_DIR/source.txt" <(cx_dump_answers cx_dump_custom) || return 1
	cx_psql -d postgres -c "DROP DATABASE cx_dump_custom" >/dev/null
}
cx_check "dump-restore/0.2.0-custom-dump-pg_restore" check_dump_020_pg_restore

# ALTER EXTENSION UPDATE of the 0.2.0 database keeps its views answering the
# same; the renamed objects keep their identity, so the views now name them
# by their new names.
check_dump_update_in_place() {
	[ -f "$CX_DUMP_DIR/source.txt" ] || { echo "no source database"; return 1; }
	cx_psql -d cx_dump_src -c "ALTER EXTENSION cx_journey UPDATE" || return 1
	[ "$(cx_dump_extversion cx_dump_src)" = "$(cx_dump_default_version)" ] || return 1
	diff "$CX_DUMP_DIR/source.txt" <(cx_dump_answers cx_dump_src) || return 1
	local defs
	defs=$(cx_psql -d cx_dump_src -At -c "SELECT pg_get_viewdef('v_stage') || pg_get_viewdef('v_path')
		|| pg_get_viewdef('mv_stage') || pg_get_functiondef('second_milestone(milestone_path)'::regprocedure)")
	grep -q 'stage_timeline_agg(' <<<"$defs" && grep -q 'reached_at(stage_timeline_agg(' <<<"$defs" &&
		grep -q 'nth_milestone(' <<<"$defs" && ! grep -Eq '(entered_at|milestone_at|stage_timeline)\(' <<<"$defs" ||
		{ echo "view definitions after the update:"; echo "$defs"; return 1; }
}
cx_check "dump-restore/update-in-place-keeps-views" check_dump_update_in_place

# The dump of the upgraded database (views with the new names) restores too.
check_dump_upgraded_restores() {
	[ -f "$CX_DUMP_DIR/source.txt" ] || { echo "no source database"; return 1; }
	"$CX_BINDIR/pg_dump" -d cx_dump_src -f "$CX_DUMP_DIR/dump-upgraded.sql" || return 1
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_dump_again" -c "CREATE DATABASE cx_dump_again" >/dev/null
	cx_psql -d cx_dump_again -f "$CX_DUMP_DIR/dump-upgraded.sql" >"$CX_DUMP_DIR/restore-again.log" 2>&1 ||
		{ tail -20 "$CX_DUMP_DIR/restore-again.log"; return 1; }
	! grep -E 'ERROR|WARNING' "$CX_DUMP_DIR/restore-again.log" || return 1
	diff "$CX_DUMP_DIR/source.txt" <(cx_dump_answers cx_dump_again) || return 1
	cx_psql -d postgres -c "DROP DATABASE cx_dump_src" -c "DROP DATABASE IF EXISTS cx_dump_restored" \
		-c "DROP DATABASE cx_dump_again" >/dev/null
}
cx_check "dump-restore/upgraded-dump-restores" check_dump_upgraded_restores
