# Crafted aggregate states (sourced by test/run): see test/crafted/states.sql.
check_crafted_states() {
	local so="$CX_TMP/cx_state_probe.so"
	gcc -O2 -Wall -Werror -fPIC -shared -I"$("$PG_CONFIG" --includedir-server)" \
		-o "$so" "$CX_ROOT/test/crafted/state_probe.c" || return 1
	chmod 755 "$CX_TMP" "$so"
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_crafted" -c "CREATE DATABASE cx_crafted" >/dev/null 2>&1
	cx_psql -d cx_crafted -c "CREATE EXTENSION cx_journey" >/dev/null
	local status=0
	cx_psql -d cx_crafted -v probe="$so" -f "$CX_ROOT/test/crafted/states.sql" || status=$?
	cx_psql -d postgres -c "DROP DATABASE cx_crafted" >/dev/null
	return $status
}
cx_check "crafted/aggregate-states" check_crafted_states
