# Checks of the 0.3.0 code review's findings that need more than pg_regress
# (sourced by test/run).

# window_funnel_deserialize validates the time of wide rows, the steps hash
# and the mode flags (22P03), fed crafted states through the probe module of
# test/crafted.
check_funnel_state_fields() {
	local so="$CX_TMP/cx_state_probe_funnel.so" status
	gcc -O2 -Wall -Werror -fPIC -shared -I"$("$PG_CONFIG" --includedir-server)" \
		-o "$so" "$CX_ROOT/test/crafted/state_probe.c" || return 1
	chmod 755 "$CX_TMP" "$so"
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_funnel_states" -c "CREATE DATABASE cx_funnel_states" >/dev/null 2>&1
	cx_psql -d cx_funnel_states -c "CREATE EXTENSION cx_journey" >/dev/null || return 1
	status=0
	cx_psql -d cx_funnel_states -v probe="$so" -f "$CX_ROOT/test/crafted/funnel_state_fields.sql" || status=$?
	cx_psql -d postgres -c "DROP DATABASE cx_funnel_states" >/dev/null
	return $status
}
cx_check "crafted/funnel-state-fields" check_funnel_state_fields
