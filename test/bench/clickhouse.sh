# test/bench/clickhouse.sh: an optional ClickHouse server for test/bench/run
# (sourced, not run).  Used only when clickhouse-client and clickhouse-server
# are installed (Debian: apt-get install clickhouse-server clickhouse-client);
# the benchmark never installs them.  The server runs from a folder of the
# throwaway cluster's, with a configuration written there, on a free port, as
# the cluster's user, and stops with the cluster.

CH_PID=
CH_PORT=
CH_SKIP=

# Why ClickHouse cannot be measured here, or nothing when it can.
bench_clickhouse_missing() {
	command -v clickhouse-client >/dev/null || { echo "clickhouse-client not on PATH"; return; }
	bench_clickhouse_server >/dev/null || echo "clickhouse-server not found"
}

bench_clickhouse_server() {
	command -v clickhouse-server || { [ -x /usr/sbin/clickhouse-server ] && echo /usr/sbin/clickhouse-server; }
}

bench_clickhouse() {
	clickhouse-client --host 127.0.0.1 --port "$CH_PORT" "$@"
}

bench_clickhouse_stop() {
	local server
	if [ -n "$CH_PID" ]; then
		# as root, CH_PID is runuser, which waits for its child, the server
		server=$(ps -o pid= --ppid "$CH_PID" || true)
		kill ${server:-$CH_PID} 2>/dev/null || true
		wait "$CH_PID" 2>/dev/null || true
		CH_PID=
	fi
}

# Start the server; returns non-zero, with the reason in CH_SKIP, if it does
# not answer within a minute.
bench_clickhouse_start() {
	local dir=$CX_TMP/clickhouse i
	CH_PORT=$(cx_free_port)
	mkdir -p "$dir/data"
	cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
	<logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/server.err.log</errorlog><size>100M</size><count>1</count></logger>
	<tcp_port>$CH_PORT</tcp_port>
	<listen_host>127.0.0.1</listen_host>
	<max_concurrent_queries>8</max_concurrent_queries>
	<mark_cache_size>536870912</mark_cache_size>
	<path>$dir/data/</path>
	<tmp_path>$dir/data/tmp/</tmp_path>
	<user_files_path>$dir/data/user_files/</user_files_path>
	<format_schema_path>$dir/data/format_schemas/</format_schema_path>
	<users_config>users.xml</users_config>
	<default_profile>default</default_profile>
	<default_database>default</default_database>
	<timezone>UTC</timezone>
</yandex>
XML
	cat >"$dir/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
	<profiles><default><max_memory_usage>8000000000</max_memory_usage></default></profiles>
	<users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
	<quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
	if [ ${#CX_RUNAS[@]} -gt 0 ]; then chown -R "$CX_OS_USER" "$dir"; fi
	(cd "$dir" && exec "${CX_RUNAS[@]}" "$(bench_clickhouse_server)" --config-file="$dir/config.xml" \
		>"$dir/stdout.log" 2>&1) &
	CH_PID=$!
	for i in $(seq 60); do
		if bench_clickhouse --query "SELECT 1" >/dev/null 2>&1; then
			return 0
		fi
		sleep 1
	done
	CH_SKIP="clickhouse-server did not answer within 60 s ($(tail -n 1 "$dir/server.err.log" 2>/dev/null))"
	bench_clickhouse_stop
	return 1
}

# The benchmark's events, copied from PostgreSQL into a MergeTree stored in
# customer and time order (ClickHouse's DateTime keeps whole seconds, as the
# sample's times are).
bench_clickhouse_load() {
	bench_clickhouse --query "CREATE TABLE events (customer_id UInt64, ts DateTime, kind String)
		ENGINE = MergeTree ORDER BY (customer_id, ts)"
	cx_psql -d bench -c "COPY (SELECT customer_id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), kind FROM events) TO STDOUT (FORMAT csv)" |
		bench_clickhouse --query "INSERT INTO events FORMAT CSV"
	bench_clickhouse --query "OPTIMIZE TABLE events FINAL"
}
