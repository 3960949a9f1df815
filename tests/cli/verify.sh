# verify: recompute and classify against the file's cached values, and
# Excel's view (--excel): a whole second recalculation in doubles.
. "$(dirname "$0")/lib.sh"
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo "  want: [$2]"; echo "  got:  [$3]"; fi; }
have_py() { /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; }
# our own round trip: recalc writes cached values, verify finds them equal
"$XC" recalc samples/seed004_selfeval_formulas.xlsx -o "$TMP/r.xlsx"
"$XC" verify "$TMP/r.xlsx" > "$TMP/v.txt"; rc=$?
check "recalc then verify: exit" 0 "$rc"
check "recalc then verify: nothing differs" 1 "$(tail -1 "$TMP/v.txt" | grep -c ' 0 differ, 0 unsupported$')"
# an Excel-computed file from the IronCalc suite: noise is not a difference
IC=../shared/testdata/ironcalc/calc_tests/MATH_AND_TRIGONOMETRY/FLOOR_CEILING.xlsx
if [ -f "$IC" ]; then
  "$XC" verify --json "$IC" > "$TMP/fc.json"; rc=$?
  check "Excel noise classified" yes "$(/usr/bin/python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); c=d["counts"]
print("yes" if c["noise"]>0 and d["formulas"]==sum(c.values()) else "no %s" % c)' "$TMP/fc.json")"
fi
# Excel 365 rich errors: a #VALUE! placeholder whose vm points at #CALC!
DT=../shared/testdata/ironcalc/calc_tests/LOOKUP_AND_REFERENCE/DROP_TAKE.xlsx
if [ -f "$DT" ]; then
  check "rich errors read through richData" "35 formulas: 35 equal, 0 noise, 0 display, 0 differ, 0 unsupported" "$("$XC" verify "$DT" | tail -1)"
fi
if have_py; then
  /usr/bin/python3 - "$TMP/x.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "S"
ws["A1"] = 0.5; ws["A2"] = 0.4; ws["A3"] = 0.1
ws["B1"] = "=1*(A1-A2-A3)"; ws["B2"] = '=IF(B1=0,"ok","flip")'
ws["B3"] = "=ROUND(21.9/0.2,0)"; ws["B4"] = "=A1+A2"
wb.save(sys.argv[1])
PY
  "$XC" verify --excel "$TMP/x.xlsx" > "$TMP/x.txt"; rc=$?
  check "uncached is not a difference" 0 "$rc"
  check "summary" "4 formulas: 0 equal, 0 noise, 0 display, 0 differ, 0 unsupported, 4 uncached; Excel would show 2 differently" "$(tail -1 "$TMP/x.txt")"
  check "Excel noise in B1" 1 "$(grep -c $'^S!B1\t.*computed 0\tExcel shows -2.77555756156289E-17' "$TMP/x.txt")"
  check "flip propagates to B2" 1 "$(grep -c $'^S!B2\t.*computed ok\tExcel shows flip' "$TMP/x.txt")"
  check "ROUND tie agrees" 0 "$(grep -c '^S!B3.*Excel shows' "$TMP/x.txt")"
fi
# a multi-cell array formula keeps its array evaluation in Excel's view
# (each member shows its own element, not #VALUE!)
if have_py; then
  /usr/bin/python3 - "$TMP/a.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "S"
for i, v in enumerate([0.1, 0.2, 0.3], 1):
    ws.cell(i, 1, v)
ws["B1"] = "=A1:A3*{3;4;5}"
ws.formula_attributes["B1"] = {"t": "array", "ref": "B1:B3"}
wb.save(sys.argv[1])
PY
  "$XC" recalc "$TMP/a.xlsx" -o "$TMP/a2.xlsx"
  "$XC" verify --excel "$TMP/a2.xlsx" > "$TMP/a.txt"
  check "array members in Excel's view" "3 formulas: 3 equal, 0 noise, 0 display, 0 differ, 0 unsupported; Excel would show 0 differently" "$(tail -1 "$TMP/a.txt")"
fi
expect_err "not a workbook" 2 "README.md" -- "$XC" verify README.md
expect_err "usage" 2 "usage" -- "$XC" verify
finish
