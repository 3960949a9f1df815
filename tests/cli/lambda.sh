# lambda.sh - LAMBDA end to end: the IronCalc suite's LAMBDA-family
# files verify clean, a workbook with LAMBDAs in defined names (as Excel
# writes them: _xlfn.LAMBDA, _xlpm. parameters) recalculates when the
# cells a named LAMBDA reads change, explain shows a call's body, and a
# REPL session's typed LAMBDA formulas are saved with Excel's prefixes and
# read back to the same values.
. "$(dirname "$0")/lib.sh"
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo "  want: [$2]"; echo "  got:  [$3]"; fi; }
have_py() { /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; }

# the Excel-computed IronCalc files: every formula passes (equal or noise)
IC=../shared/testdata/ironcalc/calc_tests/LOGICAL
for f in LAMBDA MAP_REDUCE SCAN BYCOL_BYROW MAKEARRAY; do
  [ -f "$IC/$f.xlsx" ] || continue
  check "$f.xlsx verifies" yes "$("$XC" verify --json "$IC/$f.xlsx" | /usr/bin/python3 -c '
import json,sys; d=json.load(sys.stdin); c=d["counts"]
print("yes" if d["formulas"]>0 and c["equal"]+c["noise"]==d["formulas"] else c)')"
done

expect "a cell's LAMBDA is #CALC!" 0 "#CALC!" -- "$XC" eval '=LAMBDA(x,x+1)'
expect "called at once" 0 "6" -- "$XC" eval '=LAMBDA(x,x+1)(5)'
expect "exact inside" 0 "340/9 = 37.(7)" -- "$XC" eval --exact '=LAMBDA(t,(5/9)*(t-32))(100)'

if have_py; then
  /usr/bin/python3 - "$TMP/n.xlsx" <<'PY'
import openpyxl, sys
from openpyxl.workbook.defined_name import DefinedName
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
ws["A1"] = 5
ws["B1"] = "=ADDA1(10)"
ws["B2"] = "=FACT2(10)"
ws["B3"] = "=FACT2(5000)"
wb.defined_names.append(DefinedName("ADDA1", attr_text="_xlfn.LAMBDA(_xlpm.v,_xlpm.v+Sheet1!$A$1)"))
wb.defined_names.append(DefinedName("FACT2", attr_text="_xlfn.LAMBDA(_xlpm.n,IF(_xlpm.n<=1,1,_xlpm.n*FACT2(_xlpm.n-1)))"))
wb.save(sys.argv[1])
PY
  out=$("$XC" repl "$TMP/n.xlsx" -c 'show B1:B3; set A1 7; show B1:B1' 2>&1)
  check "named LAMBDA" 1 "$(printf '%s\n' "$out" | grep -c '^1 |  *15$')"
  check "recursive named LAMBDA" 1 "$(printf '%s\n' "$out" | grep -c '^2 |  *3628800$')"
  check "too deep is #NUM!" 1 "$(printf '%s\n' "$out" | grep -c '^3 |  *#NUM!$')"
  check "recalculated after A1 changed" 1 "$(printf '%s\n' "$out" | grep -c '^1 |  *17$')"
  out=$("$XC" repl "$TMP/n.xlsx" -c 'explain B1' 2>&1)
  check "explain shows the body" 1 "$(printf '%s\n' "$out" | grep -c '^ *_xlpm.v+Sheet1!\$A\$1 = 15$')"

  # typed formulas are saved in Excel's form and read back
  "$XC" repl "$TMP/n.xlsx" -c 'set C1 =LET(f,LAMBDA(x,y,x*y+A1),f(2,3)); set C2 =MAP(A1:A1,LAMBDA(v,v*2)); save '"$TMP/s.xlsx" >/dev/null 2>&1
  check "saved form" "_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.x,_xlpm.y,_xlpm.x*_xlpm.y+A1),_xlpm.f(2,3))" \
    "$(xlsx_formula "$TMP/s.xlsx" C1)"
  check "read back equal" "5 formulas: 5 equal, 0 noise, 0 display, 0 differ, 0 unsupported" "$("$XC" verify "$TMP/s.xlsx" | tail -1)"

  # eta-reduced LAMBDAs: _xleta.SUM read from a file, typed SUM written as it
  /usr/bin/python3 - "$TMP/e.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
ws["A1"] = 1; ws["B1"] = 2; ws["A2"] = 3; ws["B2"] = -4
ws["C1"] = "=SUM(_xlfn.BYROW(A1:B2,_xleta.SUM))"
wb.save(sys.argv[1])
PY
  out=$("$XC" repl "$TMP/e.xlsx" -c 'show C1:C1; set C2 =SUM(MAP(A1:B2,ABS)); show C2:C2; save '"$TMP/e2.xlsx" 2>&1)
  check "_xleta.SUM read" 1 "$(printf '%s\n' "$out" | grep -c '^1 |  *2$')"
  check "typed ABS evaluated" 1 "$(printf '%s\n' "$out" | grep -c '^2 |  *10$')"
  check "saved with _xleta." "SUM(_xlfn.MAP(A1:B2,_xleta.ABS))" \
    "$(xlsx_formula "$TMP/e2.xlsx" C2)"
  check "saved file reads back equal" "2 formulas: 2 equal, 0 noise, 0 display, 0 differ, 0 unsupported" "$("$XC" verify "$TMP/e2.xlsx" | tail -1)"
fi
finish
