# libreoffice: LibreOffice's function tests that exercise the kernel
# rather than one function - a static reference cycle that evaluation
# never follows, and multi-cell array formulas written by LibreOffice.
. "$(dirname "$0")/lib.sh"
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo "  want: [$2]"; echo "  got:  [$3]"; fi; }
LO=../shared/testdata/libreoffice
if [ -d "$LO" ]; then
  # INDEX(A1:B6,...) inside A1:B6 is a static cycle, not a real one
  check "index.xlsx passes" TRUE "$("$XC" repl "$LO/spreadsheet/index.xlsx" -c '=Sheet1!B3' | tail -1)"
  check "index.xlsx: no #CIRC! left" 0 "$("$XC" verify "$LO/spreadsheet/index.xlsx" | grep -c 'CIRC')"
  # A2:A5 = {=MODE.MULT(H1:H12)}: each member its element, and its formula
  check "mode.mult array members" "1 2 3 4" "$("$XC" repl "$LO/statistical/mode.mult.xlsx" -c 'use Sheet2; =A2; =A3; =A4; =A5' | tr '\n' ' ' | sed 's/ $//')"
  check "FORMULATEXT of an array member" "=MODE.MULT(H1:H12)" "$("$XC" repl "$LO/statistical/mode.mult.xlsx" -c 'use Sheet2; =D4' | tail -1)"
fi
if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
  # a real cycle through an IF branch: #CIRC! only once the branch is taken
  /usr/bin/python3 - "$TMP/c.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "S"
ws["A1"] = 0
ws["B1"] = "=IF(A1,C1,5)"; ws["C1"] = "=B1+1"
ws["D1"] = "=INDEX(D1:D3,2)*2"; ws["D2"] = 7
wb.save(sys.argv[1])
PY
  check "unfollowed IF branch: no cycle" "5 6 14" "$("$XC" repl "$TMP/c.xlsx" -c '=S!B1; =S!C1; =S!D1' | tr '\n' ' ' | sed 's/ $//')"
  check "followed branch: a cycle" "#CIRC! #CIRC!" "$("$XC" repl "$TMP/c.xlsx" -c 'set A1 1; =S!B1; =S!C1' | tail -2 | tr '\n' ' ' | sed 's/ $//')"
fi
finish
