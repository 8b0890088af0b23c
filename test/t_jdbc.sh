# JDBC (sourced by test/run): the demo's analyst queries through Debian's
# PostgreSQL JDBC driver (the driver Metabase ships), as prepared statements
# with bound parameters; see test/jdbc/CxJourneyJdbc.java.
check_jdbc() {
	local jar=/usr/share/java/postgresql.jar classes="$CX_TMP/jdbc"
	cx_install_deps default-jdk-headless libpostgresql-jdbc-java >/dev/null || return 1
	mkdir -p "$classes"
	javac -encoding UTF-8 -d "$classes" -cp "$jar" "$CX_ROOT/test/jdbc/CxJourneyJdbc.java" || return 1
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_jdbc" >/dev/null 2>&1
	cx_load_sample cx_jdbc >/dev/null || return 1
	local status=0
	java -Dfile.encoding=UTF-8 -Duser.timezone=UTC -cp "$jar:$classes" CxJourneyJdbc \
		"jdbc:postgresql://127.0.0.1:$PGPORT/cx_jdbc?user=postgres" || status=$?
	cx_psql -d postgres -c "DROP DATABASE cx_jdbc" >/dev/null
	return $status
}
cx_check "jdbc/analyst-queries-prepared" check_jdbc
