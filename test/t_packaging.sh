# Packaging checks (sourced by test/run).

# META.json and the control file name the same version, and the install
# script of that version exists.
check_versions_in_step() {
	local control meta provides
	control=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$CX_ROOT/cx_journey.control")
	meta=$(sed -n 's/^   "version": "\([^"]*\)".*/\1/p' "$CX_ROOT/META.json")
	provides=$(sed -n 's/^         "version": "\([^"]*\)".*/\1/p' "$CX_ROOT/META.json")
	echo "control=$control META.json=$meta provides=$provides"
	[ -n "$control" ] && [ "$control" = "$meta" ] && [ "$control" = "$provides" ] &&
		[ -f "$CX_ROOT/sql/cx_journey--$control.sql" ] &&
		grep -q "\"file\": \"sql/cx_journey--$control.sql\"" "$CX_ROOT/META.json"
}
cx_check "packaging/versions-in-step" check_versions_in_step

# The extension installs into any database and into a schema of its own,
# and works there with that schema off the search_path.
check_install_in_schema() {
	cx_psql -d postgres -c "CREATE DATABASE cx_schema_test"
	cx_psql -d cx_schema_test <<'SQL'
CREATE SCHEMA analytics;
CREATE EXTENSION cx_journey SCHEMA analytics;
SET search_path = public;
CREATE TABLE c (stage analytics.journey_stage, at timestamptz);
INSERT INTO c VALUES ('wooing', '2026-01-01'), ('selling', '2026-01-03');
DO $$
BEGIN
	IF (SELECT analytics.current_stage(analytics.stage_timeline(stage, at)) FROM c)::text <> 'selling'
		OR (SELECT max(stage) FROM c)::text <> 'selling'
		OR 'bonding'::analytics.journey_stage OPERATOR(analytics.<) 'selling'
	THEN
		RAISE EXCEPTION 'wrong answer from the extension in schema analytics';
	END IF;
END $$;
DROP EXTENSION cx_journey;
SQL
	cx_psql -d postgres -c "DROP DATABASE cx_schema_test"
}
cx_check "packaging/install-in-schema" check_install_in_schema

# The install script is guarded against being run through psql.
check_install_script_guard() {
	! cx_psql -d postgres -f "$CX_ROOT/sql/cx_journey--0.1.0.sql" >/dev/null 2>&1 ||
		! cx_psql -d postgres -c "SELECT 'wooing'::journey_stage" >/dev/null 2>&1
}
cx_check "packaging/install-script-guard" check_install_script_guard
