# cx_journey: PGXS build.  pg_config is taken from PATH, or: make PG_CONFIG=/path/to/pg_config
EXTENSION = cx_journey
# The version lives in cx_journey.control; META.json is checked against it by the test suite.
EXTVERSION = $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" $(EXTENSION).control)

MODULE_big = cx_journey
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/*/*.c)))

# A released script is never edited (test/t_packaging.sh checks their
# checksums); each release adds an upgrade script, and CREATE EXTENSION
# runs the first script and then the upgrades.
DATA = $(wildcard sql/$(EXTENSION)--*.sql)

REGRESS = $(sort $(filter-out cx_journey--%,$(basename $(notdir $(wildcard sql/*.sql)))))
REGRESS_OPTS = --inputdir=. --outputdir=$(REGRESS_OUTDIR) --load-extension=$(EXTENSION)
REGRESS_OUTDIR ?= .

JSONC_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null)
JSONC_LIBS := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)

PG_CPPFLAGS = -I$(srcdir)/src $(addprefix -I$(srcdir)/src/,core stage funnel session path sequence model attribution) $(JSONC_CFLAGS)
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
SHLIB_LINK = $(JSONC_LIBS)

EXTRA_CLEAN = results regression.diffs regression.out $(EXTENSION)-*.zip

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Release archive from git: make dist.  It archives git's HEAD, so it needs
# a git checkout of cx_journey itself (not a release archive or a copy, nor
# a copy inside some other git repository).
dist:
	@if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" != "$$(pwd -P)" ]; then \
		echo "make dist: $$(pwd -P) is not a git checkout of cx_journey (no .git here)." >&2; \
		echo "make dist archives git's HEAD; run it in a clone: git clone <repository> && cd cx_journey && make dist" >&2; \
		exit 1; \
	fi
	git archive --format zip --prefix=$(EXTENSION)-$(EXTVERSION)/ -o $(EXTENSION)-$(EXTVERSION).zip HEAD

.PHONY: dist

# The list of pg_regress tests, for test/run.
print-regress:
	@echo $(REGRESS)

.PHONY: print-regress

# PGXS tracks no header dependencies without --enable-depend: rebuild every
# object when a header of ours changes (inline functions live in them).
$(OBJS): $(wildcard src/*.h src/*/*.h)
