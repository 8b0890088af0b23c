# cx_journey: PGXS build.  pg_config is taken from PATH, or: make PG_CONFIG=/path/to/pg_config
EXTENSION = cx_journey
# The version lives in cx_journey.control; META.json is checked against it by the test suite.
EXTVERSION = $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" $(EXTENSION).control)

MODULE_big = cx_journey
OBJS = \
	src/stage_parse.o \
	src/journey_stage.o \
	src/stage_timeline.o \
	src/funnel_mode.o \
	src/funnel_core.o \
	src/window_funnel.o \
	src/funnel_report.o \
	src/json_build.o \
	src/session.o \
	src/group_log.o \
	src/row_log.o \
	src/int64_sort.o \
	src/path_parse.o \
	src/milestone_path.o \
	src/path_ops.o \
	src/path_agg.o \
	src/path_json.o

# A released script is never edited (test/t_packaging.sh checks their
# checksums); each release adds an upgrade script, and CREATE EXTENSION
# runs the first script and then the upgrades.
DATA = $(wildcard sql/$(EXTENSION)--*.sql)

REGRESS = stage_io stage_ops stage_functions stage_timeline funnel funnel_modes funnel_report funnel_parallel funnel_random funnel_hashed session session_random aggregate_memory path_io path_functions path_agg matview input_mutation
REGRESS_OPTS = --inputdir=. --outputdir=$(REGRESS_OUTDIR) --load-extension=$(EXTENSION)
REGRESS_OUTDIR ?= .

JSONC_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null)
JSONC_LIBS := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)

PG_CPPFLAGS = -I$(srcdir)/src $(JSONC_CFLAGS)
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
SHLIB_LINK = $(JSONC_LIBS)

EXTRA_CLEAN = results regression.diffs regression.out $(EXTENSION)-*.zip

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Release archive from git: make dist
dist:
	git archive --format zip --prefix=$(EXTENSION)-$(EXTVERSION)/ -o $(EXTENSION)-$(EXTVERSION).zip HEAD

.PHONY: dist

# The list of pg_regress tests, for test/run.
print-regress:
	@echo $(REGRESS)

.PHONY: print-regress

# PGXS tracks no header dependencies without --enable-depend: rebuild every
# object when a header of ours changes (inline functions live in them).
$(OBJS): $(wildcard src/*.h)
