# Stage timelines and milestone paths (sourced by test/run): checks that need
# more than pg_regress.

# stage_timeline_deserialize refuses times outside PostgreSQL's range (22P03),
# fed crafted states through the probe module of test/crafted.
check_timeline_state_times() {
	local so="$CX_TMP/cx_state_probe_times.so" status
	gcc -O2 -Wall -Werror -fPIC -shared -I"$("$PG_CONFIG" --includedir-server)" \
		-o "$so" "$CX_ROOT/test/crafted/state_probe.c" || return 1
	chmod 755 "$CX_TMP" "$so"
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_timeline_states" -c "CREATE DATABASE cx_timeline_states" >/dev/null 2>&1
	cx_psql -d cx_timeline_states -c "CREATE EXTENSION cx_journey" >/dev/null || return 1
	status=0
	cx_psql -d cx_timeline_states -v probe="$so" -f "$CX_ROOT/test/crafted/timeline_state_times.sql" || status=$?
	cx_psql -d postgres -c "DROP DATABASE cx_timeline_states" >/dev/null
	return $status
}
cx_check "crafted/stage-timeline-state-times-in-range" check_timeline_state_times
