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
	IF (SELECT analytics.current_stage(analytics.stage_timeline_agg(stage, at)) FROM c)::text <> 'selling'
		OR (SELECT analytics.max(stage) FROM c)::text <> 'selling'
		OR 'bonding'::analytics.journey_stage OPERATOR(analytics.<) 'selling'
	THEN
		RAISE EXCEPTION 'wrong answer from the extension in schema analytics';
	END IF;
END $$;
DROP TABLE c;
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

# Every released version, oldest first: those of the released install
# scripts and the targets of the released upgrade scripts listed in
# test/released-scripts.sha256.
cx_released_versions() {
	sed -n -e 's/.*cx_journey--\([0-9.]*\)\.sql$/\1/p' \
		-e 's/.*cx_journey--[0-9.]*--\([0-9.]*\)\.sql$/\1/p' \
		"$CX_ROOT/test/released-scripts.sha256" | sort -u -V
}

# Both releases before 0.3.0 are listed, so that each gets its upgrade check.
check_released_versions() {
	local versions
	versions=$(cx_released_versions)
	echo "released:" $versions
	grep -qx '0\.1\.0' <<<"$versions" && grep -qx '0\.2\.0' <<<"$versions"
}
cx_check "packaging/released-versions" check_released_versions

# ALTER EXTENSION UPDATE from a release gives the default version and the
# same objects as a fresh install of it (compared as a catalog listing,
# test/extension_objects.sql).  While there is no flat script of the default
# version, a fresh install runs the same chain of scripts, and this can only
# catch a difference between CREATE EXTENSION and ALTER EXTENSION UPDATE
# running them; it becomes a full check once a flat script ships.
check_upgrade_equals_fresh_install() {
	local from=$1 default fresh upgraded version
	default=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$CX_ROOT/cx_journey.control")
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_upgrade_fresh" -c "DROP DATABASE IF EXISTS cx_upgrade_old" \
		-c "CREATE DATABASE cx_upgrade_fresh" -c "CREATE DATABASE cx_upgrade_old" >/dev/null
	cx_psql -d cx_upgrade_fresh -c "CREATE EXTENSION cx_journey" >/dev/null
	cx_psql -d cx_upgrade_old -c "CREATE EXTENSION cx_journey VERSION '$from'" \
		-c "ALTER EXTENSION cx_journey UPDATE" >/dev/null
	version=$(cx_psql -d cx_upgrade_old -At -c "SELECT extversion FROM pg_extension WHERE extname = 'cx_journey'")
	fresh=$(cx_psql -d cx_upgrade_fresh -At -f "$CX_ROOT/test/extension_objects.sql")
	upgraded=$(cx_psql -d cx_upgrade_old -At -f "$CX_ROOT/test/extension_objects.sql")
	cx_psql -d postgres -c "DROP DATABASE cx_upgrade_fresh" -c "DROP DATABASE cx_upgrade_old" >/dev/null
	echo "from $from to $version (default $default): $(printf '%s\n' "$fresh" | wc -l) objects in a fresh install"
	[ -n "$from" ] && [ "$version" = "$default" ] && [ "$(printf '%s\n' "$fresh" | wc -l)" -gt 100 ] &&
		diff <(printf '%s\n' "$fresh") <(printf '%s\n' "$upgraded")
}
for cx_from in $(cx_released_versions); do
	[ "$cx_from" = "$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$CX_ROOT/cx_journey.control")" ] ||
		cx_check "packaging/upgrade-from-$cx_from-equals-fresh-install" check_upgrade_equals_fresh_install "$cx_from"
done
unset cx_from

# The listing of test/extension_objects.sql sees each kind of difference an
# upgrade script can get wrong: a function's argument names, an aggregate's
# declared state size (SSPACE), a comment, a property such as PARALLEL, a
# column of a composite type or its comment.  Each change is made in a
# transaction that is rolled back.
check_extension_objects_sees_changes() {
	local base changed change status=0
	local changes=(
		"UPDATE pg_proc SET proargnames = '{timeline,stage}' WHERE oid = 'reached_at(stage_timeline, journey_stage)'::regprocedure"
		"UPDATE pg_aggregate SET aggtransspace = 64 WHERE aggfnoid = 'stage_timeline_agg(journey_stage, timestamptz)'::regprocedure"
		"COMMENT ON FUNCTION nth_milestone(milestone_path, int4) IS 'changed'"
		"COMMENT ON AGGREGATE stage_timeline(journey_stage, timestamptz) IS NULL"
		"ALTER FUNCTION stage_rank(journey_stage) PARALLEL RESTRICTED"
		"ALTER TYPE session_summary ADD ATTRIBUTE probe int4"
		"COMMENT ON COLUMN session_summary.sessions IS 'changed'"
	)
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_objects_probe" -c "CREATE DATABASE cx_objects_probe" >/dev/null
	cx_psql -d cx_objects_probe -c "CREATE EXTENSION cx_journey" >/dev/null
	base=$(cx_psql -d cx_objects_probe -At -f "$CX_ROOT/test/extension_objects.sql")
	for change in "${changes[@]}"; do
		changed=$(cx_psql -d cx_objects_probe -At -c "BEGIN" -c "$change" \
			-f "$CX_ROOT/test/extension_objects.sql" -c "ROLLBACK") || { status=1; continue; }
		if [ "$changed" = "$base" ]; then
			echo "not seen: $change"
			status=1
		fi
	done
	# and the rollbacks left the extension as it was
	[ "$(cx_psql -d cx_objects_probe -At -f "$CX_ROOT/test/extension_objects.sql")" = "$base" ] || status=1
	cx_psql -d postgres -c "DROP DATABASE cx_objects_probe" >/dev/null
	return $status
}
cx_check "packaging/extension-objects-sees-changes" check_extension_objects_sees_changes

# make dist builds the PGXN release archive from git: it holds the control
# file, META.json, the sources and every install script under one folder.
# Without a git checkout (a release archive, a copy) there is nothing for it
# to archive: the check is skipped, saying so, and make dist must refuse
# with a clear message.
check_make_dist() {
	local version zip out
	if [ ! -e "$CX_ROOT/.git" ]; then
		out=$(make -s -C "$CX_ROOT" dist 2>&1) && { echo "make dist succeeded without .git"; return 1; }
		grep -q "not a git checkout" <<<"$out" || { echo "make dist without .git: $out"; return 1; }
		echo "not a git checkout (no .git in $CX_ROOT): make dist archives git's HEAD"
		return "${CX_SKIP_STATUS:-77}"
	fi
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

# ALTER EXTENSION UPDATE rewrites the declared state size (SSPACE) of the
# extension's own aggregates only: a user's aggregates built on its
# transition functions at 0.2.0 keep the size their owner declared, while
# the extension's own get the new sizes.
check_upgrade_keeps_user_aggregates() {
	local out expected
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS cx_upgrade_user_agg" -c "CREATE DATABASE cx_upgrade_user_agg" >/dev/null
	cx_psql -d cx_upgrade_user_agg >/dev/null <<'SQL'
CREATE EXTENSION cx_journey VERSION '0.2.0';
CREATE SCHEMA mine;
CREATE AGGREGATE mine.my_funnel(interval, timestamptz, VARIADIC "any") (
	SFUNC = window_funnel_transfn, STYPE = internal, SSPACE = 12345, FINALFUNC = window_funnel_finalfn);
CREATE AGGREGATE mine.my_timeline(journey_stage, timestamptz) (
	SFUNC = stage_timeline_transfn, STYPE = internal, SSPACE = 12346, FINALFUNC = stage_timeline_finalfn);
CREATE AGGREGATE mine.my_path(text, timestamptz) (
	SFUNC = milestone_path_agg_transfn, STYPE = internal, SSPACE = 12347, FINALFUNC = milestone_path_agg_finalfn);
ALTER EXTENSION cx_journey UPDATE;
SQL
	out=$(cx_psql -d cx_upgrade_user_agg -At <<'SQL'
SELECT (SELECT extversion FROM pg_extension WHERE extname = 'cx_journey');
SELECT aggfnoid::regprocedure || ' ' || aggtransspace FROM pg_aggregate
WHERE aggfnoid IN ('mine.my_funnel(interval, timestamptz, "any")'::regprocedure,
				   'mine.my_timeline(journey_stage, timestamptz)'::regprocedure,
				   'mine.my_path(text, timestamptz)'::regprocedure,
				   'window_funnel(interval, timestamptz, "any")'::regprocedure,
				   'stage_timeline_agg(journey_stage, timestamptz)'::regprocedure,
				   'milestone_path_agg(text, timestamptz)'::regprocedure)
ORDER BY 1;
SQL
)
	cx_psql -d postgres -c "DROP DATABASE cx_upgrade_user_agg" >/dev/null
	expected='0.3.0
milestone_path_agg(text,timestamp with time zone) 80
mine.my_funnel(interval,timestamp with time zone,"any") 12345
mine.my_path(text,timestamp with time zone) 12347
mine.my_timeline(journey_stage,timestamp with time zone) 12346
stage_timeline_agg(journey_stage,timestamp with time zone) 80
window_funnel(interval,timestamp with time zone,"any") 256'
	printf '%s\n' "$out"
	[ "$out" = "$expected" ] || { diff <(printf '%s\n' "$expected") <(printf '%s\n' "$out"); return 1; }
}
cx_check "packaging/upgrade-keeps-user-aggregates" check_upgrade_keeps_user_aggregates
