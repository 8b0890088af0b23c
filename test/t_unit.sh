# Backend-independent unit checks (sourced by test/run): the C sources in
# test/unit/ are built against src/ and run; each prints "N passed, N failed".

check_funnel_core() {
	local bin="$CX_TMP/funnel_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/funnel_check.c" "$CX_ROOT/src/core/funnel_core.c" "$CX_ROOT/src/core/funnel_mode.c" &&
		"$bin" 200000 42
}
cx_check "unit/funnel-core-vs-brute-force" check_funnel_core

check_sort_network() {
	local bin="$CX_TMP/sort_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/sort_check.c" && "$bin" 200000 42
}
cx_check "unit/sort-network-exhaustive-and-vs-qsort" check_sort_network

check_funnel_fast() {
	local bin="$CX_TMP/funnel_fast_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/funnel_fast_check.c" "$CX_ROOT/src/core/funnel_fast.c" \
		"$CX_ROOT/src/core/funnel_core.c" "$CX_ROOT/src/core/funnel_mode.c" &&
		"$bin" 200000 42
}
cx_check "unit/funnel-fast-pass-vs-exact" check_funnel_fast

check_attribution_core() {
	local bin="$CX_TMP/attribution_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/attribution_check.c" "$CX_ROOT/src/core/attribution_core.c" -lm &&
		"$bin" 200000 42
}
cx_check "unit/attribution-weights-and-split" check_attribution_core

check_funnel_options() {
	local bin="$CX_TMP/funnel_options_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/funnel_options_check.c" "$CX_ROOT/src/core/funnel_core.c" \
		"$CX_ROOT/src/core/funnel_mode.c" "$CX_ROOT/src/core/funnel_options.c" &&
		"$bin" 200000 42
}
cx_check "unit/funnel-options-exclusions-any-order-vs-brute-force" check_funnel_options

check_model_core() {
	local bin="$CX_TMP/model_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/model_check.c" "$CX_ROOT/src/core/model_solve.c" \
		"$CX_ROOT/src/core/model_text.c" -lm &&
		"$bin" 100000 42
}
cx_check "unit/journey-model-solver-and-text-parser" check_model_core

check_sequence() {
	local bin="$CX_TMP/sequence_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/sequence_check.c" "$CX_ROOT/src/core/sequence_pattern.c" \
		"$CX_ROOT/src/core/sequence_match.c" &&
		"$bin" 200000 42
}
cx_check "unit/sequence-matcher-vs-backtracking" check_sequence

# The same with 8-bit stamps for reached states, so that their wrap-around
# (2^32 steps of one matcher in production) is crossed many times.
check_sequence_stamps() {
	local bin="$CX_TMP/sequence_check_stamps"
	gcc -O2 -Wall -Wextra -Werror -DSEQ_STAMP_TYPE=uint8_t -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" \
		-o "$bin" "$CX_ROOT/test/unit/sequence_check.c" "$CX_ROOT/src/core/sequence_pattern.c" \
		"$CX_ROOT/src/core/sequence_match.c" &&
		"$bin" 20000 43
}
cx_check "unit/sequence-matcher-8-bit-stamps" check_sequence_stamps

check_text_key() {
	local bin="$CX_TMP/text_key_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/text_key_check.c" && "$bin" 200000 42
}
cx_check "unit/text-key-equal-exactly-when-bytes-equal" check_text_key

check_stage_spellings() {
	local bin="$CX_TMP/stage_check"
	gcc -O2 -Wall -Wextra -Werror -I"$CX_ROOT/src" -I"$CX_ROOT/src/core" -o "$bin" \
		"$CX_ROOT/test/unit/stage_check.c" "$CX_ROOT/src/core/stage_parse.c" && "$bin"
}
cx_check "unit/stage-spellings-parse-and-appear-in-the-hint" check_stage_spellings
