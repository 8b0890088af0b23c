# Packaging checks (sourced by test/run).

# META.json and the control file name the same version; that version can be
# installed (its own script, or an upgrade script that leads to it); the
# file META.json names exists.
check_versions_in_step() {
	local control meta provides file
	control=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$CX_ROOT/cx_journey.control")
	meta=$(sed -n 's/^   "version": "\([^"]*\)".*/\1/p' "$CX_ROOT/META.json")
	provides=$(sed -n 's/^         "version": "\([^"]*\)".*/\1/p' "$CX_ROOT/META.json")
	file=$(sed -n 's/^         "file": "\([^"]*\)".*/\1/p' "$CX_ROOT/META.json")
	echo "control=$control META.json=$meta provides=$provides file=$file"
	[ -n "$control" ] && [ "$control" = "$meta" ] && [ "$control" = "$provides" ] &&
		[ -f "$CX_ROOT/$file" ] &&
		compgen -G "$CX_ROOT/sql/cx_journey--*$control.sql" >/dev/null
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

# A released script is never edited: users who installed it get changes
# only through upgrade scripts.  test/released-scripts.sha256 lists them.
check_released_scripts_unchanged() {
	(cd "$CX_ROOT" && sha256sum --check --strict test/released-scripts.sha256)
}
cx_check "packaging/released-scripts-unchanged" check_released_scripts_unchanged

# Upgrading from the oldest release gives the same objects as a fresh
# install of the default version (compared as a catalog listing).
check_upgrade_equals_fresh_install() {
	local oldest fresh upgraded
	oldest=$(head -1 "$CX_ROOT/test/released-scripts.sha256" | sed -n 's/.*cx_journey--\([^-]*\)\.sql$/\1/p')
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_upgrade_fresh" -c "DROP DATABASE IF EXISTS cx_upgrade_old" \
		-c "CREATE DATABASE cx_upgrade_fresh" -c "CREATE DATABASE cx_upgrade_old" >/dev/null
	cx_psql -d cx_upgrade_fresh -c "CREATE EXTENSION cx_journey" >/dev/null
	cx_psql -d cx_upgrade_old -c "CREATE EXTENSION cx_journey VERSION '$oldest'" \
		-c "ALTER EXTENSION cx_journey UPDATE" >/dev/null
	fresh=$(cx_psql -d cx_upgrade_fresh -At -f "$CX_ROOT/test/extension_objects.sql")
	upgraded=$(cx_psql -d cx_upgrade_old -At -f "$CX_ROOT/test/extension_objects.sql")
	cx_psql -d postgres -c "DROP DATABASE cx_upgrade_fresh" -c "DROP DATABASE cx_upgrade_old" >/dev/null
	echo "from $oldest: $(printf '%s\n' "$fresh" | wc -l) objects in a fresh install"
	[ -n "$oldest" ] && [ "$(printf '%s\n' "$fresh" | wc -l)" -gt 100 ] &&
		diff <(printf '%s\n' "$fresh") <(printf '%s\n' "$upgraded")
}
cx_check "packaging/upgrade-equals-fresh-install" check_upgrade_equals_fresh_install

# make dist builds the PGXN release archive from git: it holds the control
# file, META.json, the sources and every install script under one folder.
check_make_dist() {
	local version zip
	version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$CX_ROOT/cx_journey.control")
	zip="$CX_ROOT/cx_journey-$version.zip"
	make -s -C "$CX_ROOT" dist || return 1
	local f status=0
	for f in cx_journey.control META.json Makefile README.md src/path/path_storage.c \
		sql/cx_journey--0.1.0.sql "sql/cx_journey--[0-9.]*--$version.sql"; do
		grep -aq "cx_journey-$version/$f" "$zip" || { echo "missing $f"; status=1; }
	done
	rm -f "$zip"
	return $status
}
cx_check "packaging/make-dist" check_make_dist
