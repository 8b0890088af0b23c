# Citus, the distributed engine for PostgreSQL (sourced by test/run).
#
# When Citus is installed for the PostgreSQL in use (citus.so in
# `pg_config --pkglibdir`), this starts a throwaway coordinator and two
# workers on loopback, creates cx_journey on the coordinator (Citus installs
# it on the workers), distributes generated events, stage changes and stored
# paths by customer (colocated, 8 shards), and compares every query below
# with the same query on a single-node database holding the same rows (the
# main throwaway cluster, without Citus).  Answers are compared exactly, as
# the text psql prints for ordered results.  Path functions that other
# parts of 0.3.0 add are compared when the installed version has them, and
# reported skipped (not passed) when it does not.
#
# Without Citus the whole file is one skipped check saying so: Debian 12 has
# no Citus package, so that is the usual case.  Nothing here builds or
# fetches Citus (CONTRIBUTING.md, "Citus").

CX_CITUS_LIBDIR=$("$PG_CONFIG" --pkglibdir)

cx_citus_absent() {
	echo "Citus is not installed for this PostgreSQL (no citus.so in $CX_CITUS_LIBDIR)"
	return "$CX_SKIP_STATUS"
}

if [ ! -f "$CX_CITUS_LIBDIR/citus.so" ]; then
	cx_check "citus/distributed-answers-equal-single-node" cx_citus_absent
	return 0
fi

CX_CITUS_DIR="$CX_TMP/citus"          # data folders and sockets of the three nodes
CX_CITUS_DB=cx_citus                  # on the coordinator and the workers
CX_CITUS_REF=cx_citus_ref             # the single-node database, on the main cluster
CX_CITUS_CUSTOMERS=${CX_CITUS_CUSTOMERS:-3000}
CX_CITUS_NODES="coord w1 w2"
declare -A CX_CITUS_PORT=()

# Three distinct free ports (cx_free_port only checks that nobody listens).
for cx_node in $CX_CITUS_NODES; do
	while :; do
		cx_p=$(cx_free_port)
		case " ${CX_CITUS_PORT[*]} $PGPORT " in *" $cx_p "*) continue ;; esac
		CX_CITUS_PORT[$cx_node]=$cx_p
		break
	done
done
unset cx_node cx_p

cx_citus_stop() {
	local node
	[ -d "${CX_CITUS_DIR:-}" ] || return 0
	for node in $CX_CITUS_NODES; do
		[ -f "$CX_CITUS_DIR/$node/postmaster.pid" ] &&
			cx_runas_in_tmp "$CX_BINDIR/pg_ctl" -D "$CX_CITUS_DIR/$node" -m immediate -w stop >/dev/null 2>&1 || true
	done
	return 0
}
# The main cluster's clean-up removes $CX_TMP: stop these nodes first, also
# when test/run stops early.
trap 'cx_citus_stop; cx_stop_cluster' EXIT

# psql on a node (coord, w1, w2) in the test database.
cx_citus_psql() {
	local node=$1; shift
	cx_psql -h "$CX_CITUS_DIR" -p "${CX_CITUS_PORT[$node]}" -d "$CX_CITUS_DB" "$@"
}

# Start one node with Citus preloaded; trust on loopback comes from initdb.
# The workers write dates and intervals in other styles than the coordinator
# (Citus does not align these settings), so every value and partial state
# that crosses from a worker to the coordinator is read under other settings
# than it was written in.  TimeZone stays the same on every node, as
# doc/citus.md asks: a pushed-down date_trunc or JSON output uses the
# worker's.
cx_citus_start_node() {
	local node=$1 dir="$CX_CITUS_DIR/$1" styles=""
	[ "$node" = coord ] || styles="DateStyle = 'SQL, DMY'
IntervalStyle = 'sql_standard'"
	cx_runas_in_tmp "$CX_BINDIR/initdb" -D "$dir" -U postgres --auth=trust \
		--no-sync -E UTF8 --locale=C >"$CX_CITUS_DIR/$node.initdb.log" 2>&1 ||
		{ cat "$CX_CITUS_DIR/$node.initdb.log"; return 1; }
	cx_runas_in_tmp sh -c "cat >> '$dir/postgresql.conf'" <<EOF
port = ${CX_CITUS_PORT[$node]}
listen_addresses = '127.0.0.1'
unix_socket_directories = '$CX_CITUS_DIR'
shared_preload_libraries = 'citus'
shared_buffers = 32MB
max_connections = 60
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_min_messages = warning
citus.enable_statistics_collection = off
citus.node_conninfo = 'sslmode=disable'
$styles
EOF
	cx_runas_in_tmp "$CX_BINDIR/pg_ctl" -D "$dir" -l "$CX_CITUS_DIR/$node.log" -w -t 60 start >/dev/null ||
		{ tail -20 "$CX_CITUS_DIR/$node.log"; return 1; }
	cx_psql -h "$CX_CITUS_DIR" -p "${CX_CITUS_PORT[$node]}" -d postgres \
		-c "CREATE DATABASE $CX_CITUS_DB" >/dev/null
	cx_citus_psql "$node" -c "CREATE EXTENSION citus" >/dev/null
}

# The events of test/sample.sql (3,000 customers, 20 events each, 90 days),
# its stage changes, and per customer: the stored path, the funnel level and
# the retention array.  Made once on the single node; the distributed tables
# get the very same rows through COPY.
CX_CITUS_STEPS="ARRAY['visit', 'view_product', 'add_to_cart', 'checkout', 'purchase']"
cx_citus_derived_sql() {
	cat <<SQL
INSERT INTO paths SELECT customer_id, milestone_path_agg(kind, ts) FROM events GROUP BY customer_id;
INSERT INTO customer_levels
	SELECT customer_id, window_funnel(interval '7 days', ts, kind, $CX_CITUS_STEPS)
	FROM events GROUP BY customer_id;
INSERT INTO customer_retention
	SELECT customer_id, retention(kind = 'visit', kind = 'signup', kind = 'add_to_cart', kind = 'purchase')
	FROM events GROUP BY customer_id;
SQL
}
CX_CITUS_TABLES_SQL="
CREATE TABLE paths (customer_id bigint NOT NULL, p milestone_path NOT NULL);
CREATE TABLE customer_levels (customer_id bigint NOT NULL, level int4 NOT NULL);
CREATE TABLE customer_retention (customer_id bigint NOT NULL, r bool[] NOT NULL);"

# The cluster: coordinator and two workers, cx_journey created on the
# coordinator after the workers joined (Citus must install it on them), the
# tables distributed by customer and colocated, the same rows as the single
# node, a GIN index on the stored paths.
cx_citus_setup() {
	local node versions
	rm -rf "$CX_CITUS_DIR"
	mkdir -p "$CX_CITUS_DIR"
	[ -z "${CX_RUNAS[*]}" ] || chown "$CX_OS_USER" "$CX_CITUS_DIR"
	for node in $CX_CITUS_NODES; do cx_citus_start_node "$node"; done
	cx_citus_psql coord -At >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', ${CX_CITUS_PORT[coord]});
SELECT citus_add_node('127.0.0.1', ${CX_CITUS_PORT[w1]});
SELECT citus_add_node('127.0.0.1', ${CX_CITUS_PORT[w2]});
CREATE EXTENSION cx_journey;
SQL
	echo "Citus $(cx_citus_psql coord -At -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'")," \
		"coordinator on port ${CX_CITUS_PORT[coord]}, workers on ${CX_CITUS_PORT[w1]} and ${CX_CITUS_PORT[w2]}"
	# CREATE EXTENSION on the coordinator installed the same version on both workers
	versions=$(cx_citus_psql coord -At -c "SELECT string_agg(result, ',' ORDER BY nodeport)
		FROM run_command_on_workers(\$\$SELECT extversion FROM pg_extension WHERE extname = 'cx_journey'\$\$)")
	echo "cx_journey on the workers: $versions; their DateStyle and IntervalStyle:" \
		"$(cx_citus_psql coord -At -c "SELECT string_agg(DISTINCT result, ' ') FROM run_command_on_workers(
			\$\$SELECT current_setting('DateStyle') || ' / ' || current_setting('IntervalStyle')\$\$)")"
	[ "$versions" = "$(cx_citus_psql coord -At -c "SELECT extversion || ',' || extversion FROM pg_extension WHERE extname = 'cx_journey'")" ]

	# the single node: the sample, then the derived tables
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS $CX_CITUS_REF" >/dev/null 2>&1
	cx_load_sample "$CX_CITUS_REF" "$CX_CITUS_CUSTOMERS" 20 >/dev/null
	cx_psql -d "$CX_CITUS_REF" -c "$CX_CITUS_TABLES_SQL" >/dev/null
	cx_citus_derived_sql | cx_psql -d "$CX_CITUS_REF" >/dev/null
	cx_psql -d "$CX_CITUS_REF" -c "CREATE INDEX paths_p_gin ON paths USING gin (p)" -c "ANALYZE" >/dev/null

	# the distributed tables: by customer, colocated with events
	cx_citus_psql coord -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET citus.shard_count = 8;
CREATE TABLE events (customer_id bigint NOT NULL, ts timestamptz NOT NULL, kind text NOT NULL);
CREATE TABLE stage_changes (customer_id bigint NOT NULL, stage journey_stage NOT NULL, at timestamptz NOT NULL);
$CX_CITUS_TABLES_SQL
SELECT create_distributed_table('events', 'customer_id');
SELECT create_distributed_table('stage_changes', 'customer_id', colocate_with => 'events');
SELECT create_distributed_table('paths', 'customer_id', colocate_with => 'events');
SELECT create_distributed_table('customer_levels', 'customer_id', colocate_with => 'events');
SELECT create_distributed_table('customer_retention', 'customer_id', colocate_with => 'events');
CREATE INDEX paths_p_gin ON paths USING gin (p);
SQL
	local t
	for t in events stage_changes; do
		cx_psql -d "$CX_CITUS_REF" -c "COPY $t TO STDOUT" |
			cx_citus_psql coord -c "COPY $t FROM STDIN"
	done
	# the derived rows are computed on the workers (INSERT ... SELECT grouped
	# by customer runs shard by shard), then compared with the single node's
	cx_citus_derived_sql | cx_citus_psql coord >/dev/null
	cx_citus_psql coord -c "ANALYZE" >/dev/null
	for t in events stage_changes paths customer_levels customer_retention; do
		[ "$(cx_citus_psql coord -At -c "SELECT count(*) FROM $t")" = \
			"$(cx_psql -d "$CX_CITUS_REF" -At -c "SELECT count(*) FROM $t")" ] ||
			{ echo "$t: row counts differ"; return 1; }
	done
	echo "$(cx_psql -d "$CX_CITUS_REF" -At -c "SELECT count(*) FROM events") events of" \
		"$(cx_psql -d "$CX_CITUS_REF" -At -c "SELECT count(*) FROM paths") customers on both sides"
	# 8 shards of each table, on both workers, one colocation group
	[ "$(cx_citus_psql coord -At -c "SELECT count(DISTINCT colocationid) || ' ' || count(*)
		FROM pg_dist_partition WHERE logicalrelid::text IN
		('events', 'stage_changes', 'paths', 'customer_levels', 'customer_retention')")" = "1 5" ]
	[ "$(cx_citus_psql coord -At -c "SELECT count(*) || ' ' || count(DISTINCT nodeport)
		FROM citus_shards WHERE table_name = 'events'::regclass")" = "8 2" ]
	touch "$CX_CITUS_DIR/ready"
}

# Run SQL on the single node and on the coordinator; the printed answers
# must be identical and not empty.  Extra psql arguments (before the SQL)
# go to both.
cx_citus_same() {
	local sql=$1 ref="$CX_CITUS_DIR/ref.out" dist="$CX_CITUS_DIR/dist.out"
	cx_psql -d "$CX_CITUS_REF" -At -c "$sql" >"$ref"
	cx_citus_psql coord -At -c "$sql" >"$dist"
	if ! cmp -s "$ref" "$dist"; then
		echo "the distributed answer differs from the single node's:"
		diff "$ref" "$dist" | head -20
		return 1
	fi
	# an answer with only NULLs, zeros or nothing cannot show a difference
	if ! grep -q '[1-9a-z]' "$ref"; then
		echo "empty or trivial answer: $(head -c 200 "$ref")"
		return 1
	fi
	echo "$(wc -l <"$ref") identical rows, for example: $(head -1 "$ref" | cut -c1-100)"
}

# The same, when the installed cx_journey has the function (signature in
# to_regprocedure's form); skipped, saying so, when it does not.
cx_citus_same_if() {
	local sig=$1 sql=$2
	if [ "$(cx_psql -d "$CX_CITUS_REF" -At -c "SELECT to_regprocedure('$sig') IS NULL")" = t ]; then
		echo "$sig is not in the installed cx_journey"
		return "$CX_SKIP_STATUS"
	fi
	cx_citus_same "$sql"
}

# Citus' plan of a query on the coordinator (every task shown), with
# settings made in the same transaction and propagated to the workers.
cx_citus_explain() {
	local settings=$1 sql=$2
	cx_citus_psql coord -At <<SQL
SET citus.explain_all_tasks = on;
SET citus.propagate_set_commands = 'local';
BEGIN;
$settings
EXPLAIN (VERBOSE, COSTS OFF) $sql;
COMMIT;
SQL
}

# ---- the checks ----------------------------------------------------------

cx_check "citus/coordinator-two-workers-extension-propagated" cx_citus_setup
if [ ! -f "$CX_CITUS_DIR/ready" ]; then
	cx_citus_stop
	return 0
fi

cx_cit() { local name=$1; shift; cx_check "citus/$name" cx_citus_same "$@"; }
cx_cit_if() { local name=$1; shift; cx_check "citus/$name" cx_citus_same_if "$@"; }

CX_CITUS_PER_CUSTOMER="SELECT customer_id, window_funnel(interval '7 days', ts, kind, $CX_CITUS_STEPS) AS level
	FROM events GROUP BY customer_id"

# Funnels per customer: grouped by the distribution column, so wholly on the workers.
cx_cit window_funnel-level-distribution \
	"SELECT level, count(*) FROM ($CX_CITUS_PER_CUSTOMER) f GROUP BY level ORDER BY level"
cx_cit window_funnel-every-form-per-customer \
	"SELECT customer_id,
		window_funnel(interval '7 days', ts, kind, $CX_CITUS_STEPS),
		window_funnel(interval '7 days', 'strict_order', ts, kind, $CX_CITUS_STEPS),
		window_funnel(interval '1 day', ts, kind = 'visit', kind = 'add_to_cart', kind = 'purchase'),
		window_funnel(interval '3 days', 'strict_deduplication, first_entry', ts,
			kind = 'visit', kind IN ('view_product', 'add_to_cart'), kind = 'purchase'),
		window_funnel_times(interval '7 days', ts, kind, $CX_CITUS_STEPS),
		window_funnel_times(interval '7 days', 'strict_increase', ts, kind = 'visit', kind = 'purchase'),
		time_to_convert(interval '7 days', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']),
		time_to_convert(interval '7 days', 'strict_order, allow_reentry', ts, kind = 'visit', kind = 'signup')
	FROM events GROUP BY customer_id ORDER BY customer_id"

# Where each kind of query runs, as the documentation says (doc/citus.md):
# grouped or partitioned by customer, wholly on the workers (the coordinator
# only concatenates); a cross-customer summary over per-customer results,
# partial states on the workers (worker_partial_agg) combined on the
# coordinator; grouped by something else, the rows themselves are gathered
# on the coordinator (window_funnel's state is internal).
check_citus_plans() {
	local plan
	plan=$(cx_citus_explain "" "$CX_CITUS_PER_CUSTOMER")
	[ "$(head -1 <<<"$plan")" = "Custom Scan (Citus Adaptive)" ] &&
		[ "$(grep -c 'Query: .*window_funnel(.*GROUP BY customer_id' <<<"$plan")" -eq 8 ] ||
		{ echo "window_funnel per customer is not pushed down:"; head -12 <<<"$plan"; return 1; }
	echo "window_funnel GROUP BY customer: 8 tasks compute it, nothing above the scan"
	plan=$(cx_citus_explain "" "SELECT customer_id, ts,
		session_id(ts, interval '30 minutes') OVER (PARTITION BY customer_id ORDER BY ts) FROM events")
	[ "$(head -1 <<<"$plan")" = "Custom Scan (Citus Adaptive)" ] &&
		[ "$(grep -c 'Query: .*session_id(.*OVER (PARTITION BY' <<<"$plan")" -eq 8 ] ||
		{ echo "session_id over PARTITION BY customer is not pushed down:"; head -12 <<<"$plan"; return 1; }
	echo "session_id OVER (PARTITION BY customer): 8 tasks compute it, nothing above the scan"
	plan=$(cx_citus_explain "" "SELECT funnel_counts(level, 5) FROM ($CX_CITUS_PER_CUSTOMER) x")
	grep -q 'coord_combine_agg' <<<"$plan" &&
		[ "$(grep -c 'Query: .*worker_partial_agg(.*funnel_counts.*window_funnel(' <<<"$plan")" -eq 8 ] ||
		{ echo "funnel_counts over per-customer levels is not combined from partial states:"; head -12 <<<"$plan"; return 1; }
	echo "funnel_counts of per-customer levels: partial states in 8 tasks, coord_combine_agg on the coordinator"
	plan=$(cx_citus_explain "" "SELECT date_trunc('month', ts AT TIME ZONE 'UTC'),
		window_funnel(interval '7 days', ts, kind, $CX_CITUS_STEPS) FROM events GROUP BY 1")
	[ "$(grep -c 'Query: ' <<<"$plan")" -eq 8 ] && ! grep -q 'Query: .*window_funnel(' <<<"$plan" &&
		grep -q 'Group Key: remote_scan' <<<"$plan" ||
		{ echo "window_funnel grouped by month is not gathered on the coordinator:"; head -12 <<<"$plan"; return 1; }
	echo "window_funnel GROUP BY month: the tasks send rows, the coordinator aggregates them"
}
cx_check "citus/plans-per-customer-on-workers-others-gathered" check_citus_plans

# Cross-customer summaries: partial states on the workers, combined on the
# coordinator.  Over a distributed table of levels Citus must use
# worker_partial_agg / coord_combine_agg, which ship the state as text.
check_citus_funnel_counts_combined() {
	local plan
	plan=$(cx_citus_explain "" "SELECT funnel_counts(level, 5) FROM customer_levels")
	grep -q 'worker_partial_agg' <<<"$plan" && grep -q 'coord_combine_agg' <<<"$plan" ||
		{ echo "funnel_counts is not combined from partial states:"; echo "$plan" | head -20; return 1; }
	echo "plan: worker_partial_agg on the workers, coord_combine_agg on the coordinator"
	cx_citus_same "SELECT funnel_counts(level, 5) FROM customer_levels" || return 1
	cx_citus_same "SELECT f.* FROM funnel_table((SELECT funnel_counts(level, 5) FROM ($CX_CITUS_PER_CUSTOMER) x),
		'{visit,view,cart,checkout,purchase}') f" || return 1
	cx_citus_same "SELECT funnel_json((SELECT funnel_counts(level, 5) FROM customer_levels), NULL)"
}
cx_check "citus/funnel_counts-combined-across-workers" check_citus_funnel_counts_combined

# The coordinator reads the workers' states as text under its own session
# settings, which Citus does not align with the workers': combine under
# other DateStyle, IntervalStyle and TimeZone settings than the workers'.
check_citus_states_under_other_settings() {
	local q="SELECT funnel_counts(level, 5), retention_counts(r), min(stage), max(stage)
		FROM customer_levels JOIN customer_retention USING (customer_id)
		JOIN (SELECT customer_id, max(stage) AS stage FROM stage_changes GROUP BY 1) s USING (customer_id)"
	local base other
	base=$(cx_psql -d "$CX_CITUS_REF" -At -c "$q")
	other=$(cx_citus_psql coord -At -c "SET DateStyle = 'SQL, DMY'" -c "SET IntervalStyle = 'sql_standard'" \
		-c "SET TimeZone = 'Asia/Kathmandu'" -c "$q")
	echo "single node: $base; coordinator with other settings: $other"
	[ -n "$base" ] && [ "$base" = "$other" ]
}
cx_check "citus/cross-customer-states-under-other-settings" check_citus_states_under_other_settings

# A column other than the customer: Citus gathers the subset's rows on the
# coordinator (window_funnel's state is internal), and the answer is the same.
cx_cit window_funnel-by-month-customer-subset \
	"SELECT date_trunc('month', ts AT TIME ZONE 'UTC') AS month,
		window_funnel(interval '7 days', ts, kind, $CX_CITUS_STEPS)
	FROM events WHERE customer_id BETWEEN 100 AND 400 GROUP BY 1 ORDER BY 1"
cx_cit funnel_counts-per-month \
	"SELECT month, funnel_counts(level, 5) FROM (
		SELECT customer_id, date_trunc('month', ts AT TIME ZONE 'UTC') AS month,
			window_funnel(interval '7 days', ts, kind, $CX_CITUS_STEPS) AS level
		FROM events GROUP BY 1, 2) f GROUP BY month ORDER BY month"

cx_cit percentile_cont-of-time_to_convert \
	"SELECT percentile_cont(ARRAY[0.25, 0.5, 0.9]) WITHIN GROUP (ORDER BY ttc), avg(ttc), count(ttc)
	FROM (SELECT customer_id, time_to_convert(interval '7 days', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']) AS ttc
		  FROM events GROUP BY customer_id) x"

cx_cit retention-per-customer \
	"SELECT customer_id, retention(kind = 'visit', kind = 'signup', kind = 'add_to_cart', kind = 'purchase')
	FROM events GROUP BY customer_id ORDER BY customer_id"
cx_cit retention_counts-combined \
	"SELECT (SELECT retention_counts(r) FROM customer_retention),
		(SELECT retention_counts(r) FROM (SELECT customer_id,
			retention(kind = 'visit', kind = 'review', kind = 'vip_invite') AS r FROM events GROUP BY customer_id) x)"

# Sessions: the window functions over PARTITION BY customer, and the aggregate.
cx_cit session_id-session_seq-partition-by-customer \
	"SELECT customer_id, ts, session_id(ts, interval '30 minutes') OVER w,
		session_seq(ts, interval '30 minutes') OVER w,
		session_id(ts, interval '1 hour', max_duration => interval '20 minutes', max_events => 4) OVER w,
		session_seq(ts, interval '1 hour', boundary => kind = 'purchase') OVER w
	FROM events WINDOW w AS (PARTITION BY customer_id ORDER BY ts) ORDER BY 1, 2, 4, 6"
cx_cit session_stats-per-customer \
	"SELECT customer_id, session_stats(interval '30 minutes', ts),
		session_stats(interval '1 hour', ts, interval '20 minutes', 4),
		session_stats(ts::timestamp, interval '30 minutes')
	FROM events GROUP BY customer_id ORDER BY customer_id"
cx_cit session_stats-summed-across-customers \
	"SELECT sum((s).sessions), avg((s).avg_duration), max((s).longest_duration), round(avg((s).avg_events), 6)
	FROM (SELECT customer_id, session_stats(interval '30 minutes', ts) AS s FROM events GROUP BY customer_id) x"

# Stage timelines per customer, and journey_stage's min / max across customers.
cx_cit stage_timeline_agg-per-customer \
	"SELECT customer_id, t, current_stage(t), furthest_stage(t), regressions(t), stage_changes(t),
		stage_at(t, '2026-02-01'), reached_at(t, 'selling'), entered_at(t, 'bonding'),
		time_in_stage(t, 'honeymoon', '2026-06-01'), stage_rank(current_stage(t)),
		stage_next(current_stage(t)), stage_prev(current_stage(t)), t::text = t_alias::text
	FROM (SELECT customer_id, stage_timeline_agg(stage, at) AS t, stage_timeline(stage, at) AS t_alias
		  FROM stage_changes GROUP BY customer_id) x
	ORDER BY customer_id"
cx_cit journey_stage-across-customers \
	"SELECT furthest_stage(t), count(*), min(current_stage(t)), max(current_stage(t))
	FROM (SELECT customer_id, stage_timeline_agg(stage, at) AS t FROM stage_changes GROUP BY 1) x
	GROUP BY 1 ORDER BY 1"

# Paths: per customer, stored and colocated.
cx_cit milestone_path_agg-per-customer \
	"SELECT customer_id, milestone_path_agg(kind, ts) FROM events GROUP BY customer_id ORDER BY customer_id"
cx_cit stored-path-functions \
	"SELECT customer_id, length(p), milestones(p), nth_milestone(p, 2), milestone_at(p, -1),
		reached_at(p, 'purchase'), time_between(p, 'visit', 'purchase'), labels_only(compact(p)),
		first_reached(p), last_milestone(p), p::json, (p::json)::milestone_path = p
	FROM paths ORDER BY customer_id"
cx_cit most-common-paths-across-customers \
	"SELECT labels_only(first_reached(p)) AS path, count(*) FROM paths GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25"
cx_cit path-concat-of-two-periods \
	"SELECT count(*), count(*) FILTER (WHERE a.p || b.p = c.p)
	FROM (SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events WHERE ts < '2026-02-15' GROUP BY 1) a
	JOIN (SELECT customer_id, milestone_path_agg(kind, ts) AS p FROM events WHERE ts >= '2026-02-15' GROUP BY 1) b
		USING (customer_id)
	JOIN paths c USING (customer_id)"
cx_cit contains-on-stored-paths \
	"SELECT q, count(*), sum(customer_id) FROM paths,
		unnest(ARRAY['add_to_cart -> checkout -> purchase', 'vip_invite -> review', 'signup -> purchase -> support_ticket']::milestone_path[]) q
	WHERE p @> q GROUP BY q ORDER BY q"

# @> through the GIN index on every shard: the plan of each of the 8 tasks
# uses it (sequential scans off on the workers, propagated for the transaction).
check_citus_gin_on_every_shard() {
	local plan n
	plan=$(cx_citus_explain "SET LOCAL enable_seqscan = off;" \
		"SELECT customer_id FROM paths WHERE p @> 'add_to_cart -> checkout -> purchase'")
	n=$(grep -c 'Bitmap Index Scan on paths_p_gin_' <<<"$plan" || true)
	echo "tasks scanning the GIN index: $n of 8"
	[ "$n" -eq 8 ] && ! grep -q 'Seq Scan' <<<"$plan" ||
		{ echo "$plan" | head -30; return 1; }
	cx_citus_same "SELECT customer_id FROM paths WHERE p @> 'add_to_cart -> checkout -> purchase' ORDER BY 1"
}
cx_check "citus/contains-through-gin-on-every-shard" check_citus_gin_on_every_shard

# Functions over a stored path that other parts of 0.3.0 add (issue 15).
CX_CITUS_GROWTH="ARRAY['visit', 'signup', 'add_to_cart', 'purchase', 'review']"
cx_cit_if window_funnel-of-stored-paths "window_funnel(milestone_path,interval,text[])" \
	"SELECT level, count(*), (SELECT funnel_counts(window_funnel(p, interval '7 days', $CX_CITUS_STEPS), 5) FROM paths)
	FROM (SELECT window_funnel(p, interval '7 days', $CX_CITUS_STEPS) AS level FROM paths) x GROUP BY 1 ORDER BY 1"
cx_cit_if window_funnel-mode-of-stored-paths "window_funnel(milestone_path,interval,text,text[])" \
	"SELECT customer_id, window_funnel(p, interval '7 days', 'strict_order', $CX_CITUS_STEPS),
		window_funnel(p, interval '1 day', 'strict_deduplication', ARRAY['visit', 'add_to_cart', 'purchase'])
	FROM paths ORDER BY 1"
cx_cit_if window_funnel_times-of-stored-paths "window_funnel_times(milestone_path,interval,text[])" \
	"SELECT customer_id, window_funnel_times(p, interval '7 days', $CX_CITUS_STEPS) FROM paths ORDER BY 1"
cx_cit_if time_to_convert-of-stored-paths "time_to_convert(milestone_path,interval,text[])" \
	"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ttc), avg(ttc), count(ttc)
	FROM (SELECT time_to_convert(p, interval '7 days', ARRAY['visit', 'add_to_cart', 'purchase']) AS ttc FROM paths) x"
cx_cit_if retention-of-stored-paths "retention(milestone_path,text[])" \
	"SELECT retention_counts(retention(p, ARRAY['visit', 'signup', 'add_to_cart', 'purchase'])) FROM paths"
cx_cit_if session_stats-of-stored-paths "session_stats(milestone_path,interval)" \
	"SELECT customer_id, session_stats(p, interval '30 minutes') FROM paths ORDER BY 1"
cx_cit_if session_stats-capped-of-stored-paths "session_stats(milestone_path,interval,interval,integer)" \
	"SELECT customer_id, session_stats(p, interval '1 hour', interval '20 minutes', 4) FROM paths ORDER BY 1"
cx_cit_if milestone_status-of-stored-paths "milestone_status(milestone_path,text[])" \
	"SELECT customer_id, s.* FROM paths, LATERAL milestone_status(p, $CX_CITUS_GROWTH) s ORDER BY 1, 2"
cx_cit_if milestone_level-of-stored-paths "milestone_level(milestone_path,text[])" \
	"SELECT milestone_level(p, $CX_CITUS_GROWTH) AS level, count(*) FROM paths GROUP BY 1 ORDER BY 1"

# attribution (issue 18): a LATERAL call per stored path, grouped by touch.
cx_cit_if attribution-of-stored-paths "attribution(milestone_path,timestamptz,numeric,text,interval,interval,text)" \
	"SELECT a.touch, sum(a.credit), count(*)
	FROM paths, LATERAL attribution(p, reached_at(p, 'purchase'), 10.00, 'time_decay') a GROUP BY 1 ORDER BY 1"

# journey_model (issue 17): a model fitted across workers is combined from
# partial states shipped as text; its questions over the stored paths.
cx_cit_if journey_model-combined-across-workers "journey_model_agg(milestone_path,integer)" \
	"SELECT journey_model_agg(p, 2)::text FROM paths"
cx_cit_if journey_model-questions "predict_next(journey_model,milestone_path,integer,bigint)" \
	"WITH m AS (SELECT journey_model_agg(p, 2) AS m FROM paths)
	SELECT (SELECT count(*) FROM journey_transitions(m.m)),
		(SELECT array_agg(r.label || ':' || round(r.share::numeric, 9) ORDER BY r.label) FROM removal_effects(m.m, 'purchase') r),
		round(reach_probability(m.m, 'visit -> add_to_cart', 'purchase')::numeric, 9),
		(SELECT array_agg(x.label || ':' || x.support) FROM predict_next(m.m, 'visit', 5) x)
	FROM m"
cx_cit_if path_edges-of-stored-paths "path_edges(milestone_path,integer,text)" \
	"SELECT e.step, e.source, e.target, count(*) FROM paths, path_edges(compact(p), 3) e GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"

# Funnel reports (issue 19): per customer on the workers, with an exclusion
# and a breakdown; the summary of every customer combined on the coordinator
# (from partial states shipped as text), then its report and histogram.
CX_CITUS_FUNNEL_RESULTS="SELECT customer_id, funnel(interval '7 days', ts, kind, $CX_CITUS_STEPS,
		'exclude newsletter between 2 and 4, breakdown step 1', (customer_id % 3)::text) AS r
	FROM events GROUP BY customer_id"
# A funnel_result crosses from a worker as text (a composite of an
# extension's type), written in the worker's DateStyle: its fields cross as
# built-in types (doc/citus.md).
cx_cit_if funnel-with-options-per-customer "funnel(interval,timestamptz,text,text[],text,text)" \
	"SELECT customer_id, (r).reached, (r).excluded, (r).step_at, (r).breakdown
	FROM ($CX_CITUS_FUNNEL_RESULTS) f ORDER BY customer_id"
cx_cit_if funnel-of-stored-paths "funnel(milestone_path,interval,text[],text)" \
	"SELECT customer_id, (r).reached, (r).step_at
	FROM (SELECT customer_id, funnel(p, interval '7 days', $CX_CITUS_STEPS, 'any_order') AS r FROM paths) f
	ORDER BY customer_id"
cx_cit_if funnel_summary-combined-report "funnel_summary_table(funnel_summary,text[])" \
	"SELECT t.* FROM funnel_summary_table((SELECT funnel_summary_agg(r) FROM ($CX_CITUS_FUNNEL_RESULTS) f)) t ORDER BY t.step"
cx_cit_if funnel_histogram-combined "funnel_histogram(funnel_summary,integer,integer,integer)" \
	"SELECT h.* FROM funnel_histogram((SELECT funnel_summary_agg(r) FROM ($CX_CITUS_FUNNEL_RESULTS) f), 1, 3) h ORDER BY h.bin_start"

# Sequence patterns (issue 16): per customer on the workers, both argument
# forms, and over the stored paths.
cx_cit_if sequence-aggregates-per-customer "sequence_match(text,timestamptz,text,text[])" \
	"SELECT customer_id,
		sequence_match('(?1).*(?t<=86400)(?2)', ts, kind, ARRAY['view_product', 'add_to_cart']),
		sequence_count('(?1)(?2)', ts, kind = 'visit', kind = 'view_product'),
		sequence_match_events('(?1).*(?2).*(?3)', ts, kind, ARRAY['visit', 'add_to_cart', 'purchase']),
		sequence_next('(?1)', ts, kind, ARRAY['add_to_cart']),
		sequence_previous('(?1)', ts, kind, ARRAY['purchase'])
	FROM events GROUP BY customer_id ORDER BY customer_id"
cx_cit_if sequence-of-stored-paths "sequence_match(milestone_path,text,text[])" \
	"SELECT customer_id,
		sequence_match(p, '((?1)|(?2))+(?3)', ARRAY['visit', 'view_product', 'purchase']),
		sequence_count(p, '(?1).*(?2)', ARRAY['visit', 'purchase']),
		sequence_match_events(p, '(?w<=''3 days'')(?1).(?2)', ARRAY['visit', 'add_to_cart']),
		sequence_next(p, '(?1)(?2)', ARRAY['visit', 'view_product']),
		sequence_previous(p, '(?1)', ARRAY['checkout'])
	FROM paths ORDER BY customer_id"

# Every analysis function of the installed cx_journey is named in this file,
# so a new one cannot be forgotten here.  Support functions (type I/O,
# operators, aggregate parts, operator classes, casts) are left out, and
# journey_stages() reads no table.
check_citus_every_function_covered() {
	local names missing=()
	names=$(cx_psql -d "$CX_CITUS_REF" -At <<'SQL'
SELECT DISTINCT p.proname FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cx_journey'
WHERE NOT 'internal'::regtype = ANY (p.proargtypes)
  AND p.oid NOT IN (SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend]) FROM pg_type)
  AND p.oid NOT IN (SELECT oprcode FROM pg_operator)
  AND p.oid NOT IN (SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn]) FROM pg_aggregate)
  AND p.oid NOT IN (SELECT amproc FROM pg_amproc)
  AND p.oid NOT IN (SELECT castfunc FROM pg_cast)
  AND p.proname <> 'journey_stages'
ORDER BY 1
SQL
)
	local n
	for n in $names; do
		grep -q "\\b$n(" "$CX_ROOT/test/t_citus.sh" || missing+=("$n")
	done
	echo "$(wc -w <<<"$names") analysis functions; not compared here: ${missing[*]:-none}"
	[ ${#missing[@]} -eq 0 ]
}
cx_check "citus/every-analysis-function-compared" check_citus_every_function_covered

cx_citus_stop
cx_psql -d postgres -c "DROP DATABASE IF EXISTS $CX_CITUS_REF" >/dev/null 2>&1 || true
