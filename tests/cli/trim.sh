# trim.sh - TRIMRANGE and the trim-reference operators end to end: typed
# at the command line, read from a workbook in Excel's file form
# (_xlfn._TRO_TRAILING(A:A), _xlfn.TRIMRANGE), typed in the REPL and
# saved in that form, and read back to the same values.
. "$(dirname "$0")/lib.sh"
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo "  want: [$2]"; echo "  got:  [$3]"; fi; }
have_py() { /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; }

expect "nothing to keep" 0 "#REF!" -- "$XC" eval '=A1:.C9'
expect "array trimmed" 0 "{2;3}" -- "$XC" eval '=TRIMRANGE(MAP({1;2;3},LAMBDA(x,IF(x=1,Z1,x))))'
expect_err "operator without a range" 2 "trim" -- "$XC" eval '=A1.:5'

if have_py; then
  /usr/bin/python3 - "$TMP/t.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
ws["A1"] = "Item"; ws["A2"] = 10; ws["A3"] = 20; ws["A4"] = 12.5
ws["B1"] = "=SUM(_xlfn._TRO_TRAILING(A:A))"
ws["B2"] = "=ROWS(_xlfn.TRIMRANGE(A1:A100))"
wb.save(sys.argv[1])
PY
  out=$("$XC" repl "$TMP/t.xlsx" -c 'show B1:B2; set A5 7.5; show B1:B2; set C1 =ROWS(A1.:.A99); show C1:C1; save '"$TMP/t2.xlsx" 2>&1)
  check "file form read" 1 "$(printf '%s\n' "$out" | grep -c '^1 |  *42.5$')"
  check "TRIMRANGE read" 1 "$(printf '%s\n' "$out" | grep -c '^2 |  *4$')"
  check "a new value below is seen" 1 "$(printf '%s\n' "$out" | grep -c '^1 |  *50$')"
  check "and counted" 1 "$(printf '%s\n' "$out" | grep -c '^2 |  *5$')"
  check "typed operator" 1 "$(printf '%s\n' "$out" | grep -c '^1 |  *5$')"
  check "saved in Excel's form" "ROWS(_xlfn._TRO_ALL(A1:A99))" \
    "$(xlsx_formula "$TMP/t2.xlsx" C1)"
  check "read back equal" "3 formulas: 3 equal, 0 noise, 0 display, 0 differ, 0 unsupported" "$("$XC" verify "$TMP/t2.xlsx" | tail -1)"
fi
finish
