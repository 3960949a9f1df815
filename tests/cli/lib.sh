# lib.sh - helpers for command-line tests: expect output and exit codes.
# Each test script sources this, calls the checks, and ends with `finish`.
XC=${1:?usage: test.sh PATH_TO_EXACALC}
pass=0; fail=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# expect "description" want_exit want_stdout_first_line -- command args...
expect() {
  local what=$1 want_rc=$2 want_out=$3; shift 4
  local out rc
  out=$("$@" 2>"$TMP/stderr"); rc=$?
  local first=${out%%$'\n'*}
  if [ "$rc" = "$want_rc" ] && [ "$first" = "$want_out" ]; then
    pass=$((pass+1))
  else
    fail=$((fail+1))
    echo "FAIL: $what"
    echo "  command: $*"
    echo "  want: rc=$want_rc out=[$want_out]"
    echo "  got:  rc=$rc out=[$first] stderr=[$(head -c 300 "$TMP/stderr")]"
  fi
}

# expect_err "description" want_exit regex -- command: stderr must match
expect_err() {
  local what=$1 want_rc=$2 re=$3; shift 4
  local rc
  "$@" >"$TMP/stdout" 2>"$TMP/stderr"; rc=$?
  if [ "$rc" = "$want_rc" ] && grep -Eq -- "$re" "$TMP/stderr"; then
    pass=$((pass+1))
  else
    fail=$((fail+1))
    echo "FAIL: $what"
    echo "  command: $*"
    echo "  want: rc=$want_rc stderr~/$re/"
    echo "  got:  rc=$rc stderr=[$(head -c 300 "$TMP/stderr")]"
  fi
}

# Address-space cap for memory-bound checks (KB).  A sanitizer build
# reserves terabytes of shadow memory up front and bounds memory itself,
# so there the cap is left off (VMEM_KB is empty).
if ldd "$XC" 2>/dev/null | grep -q 'libasan'; then VMEM_KB=""; else VMEM_KB=${VMEM_KB:-2097152}; fi
vmem_cap() { [ -n "$VMEM_KB" ] && ulimit -v "${1:-$VMEM_KB}"; return 0; }

# xlsx_formula FILE CELL: the formula text a file stores in CELL of its
# active sheet, without '=', as openpyxl (an independent reader) sees it
xlsx_formula() {
  /usr/bin/python3 -c 'import openpyxl,sys; print(openpyxl.load_workbook(sys.argv[1]).active[sys.argv[2]].value.lstrip("="))' "$1" "$2"
}

finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
