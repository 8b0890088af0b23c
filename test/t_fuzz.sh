# A short run of every libFuzzer harness (sourced by test/run).  The long run
# is `bash test/fuzz/run 600`.
check_fuzz_short() {
	CX_FUZZ_BUILD="$CX_TMP/fuzz" bash "$CX_ROOT/test/fuzz/run" "${CX_FUZZ_SECONDS:-4}"
}
cx_check "fuzz/parsers-and-funnel-core" check_fuzz_short
