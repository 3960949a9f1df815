# valgrind: a subset under memcheck with no leaks and no errors - the
# command line end to end (load, recalc, audit with review sheets and
# notes, save) and a REPL session.  Skipped for sanitizer builds (ASan
# and valgrind cannot run together) and when valgrind is absent.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }
if ldd "$XC" 2>/dev/null | grep -q libasan; then echo "sanitizer build: skipped"; exit 77; fi
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
S=samples/seed004_selfeval_values.xlsx
vg() { # vg "description" want_rc -- command...
  local what=$1 want=$2; shift 3
  $VG "$@" >/dev/null 2>"$TMP/vg"; local rc=$?
  if [ "$rc" = "$want" ]; then pass=$((pass+1)); else
    fail=$((fail+1)); echo "FAIL: $what (rc=$rc, want $want)"; head -30 "$TMP/vg"; fi
}
vg "eval" 0 -- "$XC" eval --exact '=ROUND(SQRT(2)*1000,2)+SUM(1,2,3)/7'
vg "recalc + save" 0 -- "$XC" recalc samples/seed004_selfeval_formulas.xlsx -o "$TMP/r.xlsx"
vg "verify --excel" 0 -- "$XC" verify --excel "$TMP/r.xlsx"
vg "audit -o (review sheets, fills, notes)" 1 -- "$XC" audit -o "$TMP/a.xlsx" "$S"
vg "repl session" 0 -- "$XC" repl "$S" -c 'use 表11; set F7 1300; explain I7; undo; audit; save '"$TMP/s.xlsx"
vg "bad input" 2 -- "$XC" show README.md
finish
