# Crafted aggregate states (sourced by test/run): the probe module of
# test/crafted reaches deserialize and final functions from SQL.

# Run a file of test/crafted in a new database with the probe module loaded
# as :'probe'; the database is dropped whatever the outcome.
cx_crafted_run() {
	local db=$1 file=$2 so="$CX_TMP/cx_state_probe.so" status=0
	if [ ! -f "$so" ]; then
		gcc -O2 -Wall -Werror -fPIC -shared -I"$("$PG_CONFIG" --includedir-server)" \
			-o "$so" "$CX_ROOT/test/crafted/state_probe.c" || return 1
		chmod 755 "$CX_TMP" "$so"
	fi
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
	cx_psql -d "$db" -c "CREATE EXTENSION cx_journey" >/dev/null || return 1
	cx_psql -d "$db" -v probe="$so" -f "$CX_ROOT/test/crafted/$file" || status=$?
	cx_psql -d postgres -c "DROP DATABASE $db" >/dev/null
	return $status
}

# Every aggregate's deserialize refuses truncated and inconsistent bytes:
# see test/crafted/states.sql.
cx_check "crafted/aggregate-states" cx_crafted_run cx_crafted states.sql

# window_funnel_deserialize validates the time of wide rows, the steps hash
# and the mode flags (22P03).
cx_check "crafted/funnel-state-fields" cx_crafted_run cx_funnel_states funnel_state_fields.sql

# stage_timeline_deserialize refuses times outside PostgreSQL's range (22P03).
cx_check "crafted/stage-timeline-state-times-in-range" cx_crafted_run cx_timeline_states timeline_state_times.sql

# sequence_deserialize refuses truncated and inconsistent bytes, and a
# crafted pattern is compiled with the pattern's errors: see
# test/crafted/sequence_states.sql.
cx_check "crafted/sequence-states" cx_crafted_run cx_sequence_states sequence_states.sql
