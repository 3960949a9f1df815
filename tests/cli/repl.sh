# repl: scripted sessions (stdin not a terminal, and -c lists): same
# output as interactive use, exit 2 when any command failed.
. "$(dirname "$0")/lib.sh"
F=samples/seed004_selfeval_formulas.xlsx

# a session: evaluate, edit, undo, redo, explain, save
cat > "$TMP/s1" <<'CMDS'
use 表11
=SUM(H13:H22)+I7
get I7
set F7 1373.69
=I7
undo
=I7
redo
=I7
format exact
=1/7
format general
undo
explain I7
save OUT
CMDS
sed -i "s|OUT|$TMP/out.xlsx|" "$TMP/s1"
"$XC" repl "$F" < "$TMP/s1" > "$TMP/o1" 2> "$TMP/e1"; rc=$?
want='78.2'
got=$(head -1 "$TMP/o1")
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo "  want: [$2]"; echo "  got:  [$3]"; fi; }
check "open + sum" "$want" "$got"
check "rc clean" 0 "$rc"
check "get shows formula" "  formula:  =ROUND(MIN(H7,1)*G7,1)" "$(grep '^  formula' "$TMP/o1" | head -1)"
# values printed by the =I7 lines after set, undo, redo: 10, 9.4, 10
check "set/undo/redo" $'1373.69\n10\n9.4\n10' "$(sed -n '/^  Excel/,$p' "$TMP/o1" | grep -E '^[0-9.]+$' | head -4)"
check "exact format" "1/7 = 0.(142857)" "$(grep '^1/7' "$TMP/o1")"
check "explain root" "  ROUND(MIN(H7,1)*G7,1) = 9.4   [ROUND half away from zero to 1 place(s)]" "$(grep -m1 '^  ROUND' "$TMP/o1")"
check "explain exact intermediate" "    MIN(H7,1)*G7 = 1291610/137369 ≈ 9.40248527688197" "$(grep -m1 'MIN(H7,1)\*G7 =' "$TMP/o1")"
check "saved" "saved $TMP/out.xlsx" "$(grep '^saved' "$TMP/o1")"
# the saved file holds the edit as a constant and reads back
expect "saved file reads back (edit undone)" 0 "1291.61" -- "$XC" repl "$TMP/out.xlsx" -c 'use 表11; =F7' 
# a failed command: message, session goes on, exit 2
printf 'bogus\n=1+1\n' | "$XC" repl > "$TMP/o2" 2> "$TMP/e2"; rc=$?
check "failed command exit" 2 "$rc"
check "session goes on" "2" "$(cat "$TMP/o2")"
check "message" "exacalc: unknown command 'bogus' (try: help)" "$(cat "$TMP/e2")"
# -c list with Chinese sheet name
expect "-c list" 0 "78.2" -- "$XC" repl "$F" -c 'use 表11; =SUM(H13:H22)+I7'
# explain shows Excel's view: the same display here, the double it stores
check "explain Excel view" "  Excel's view: 9.4 (stored as the double 9.4000000000000004)" "$("$XC" repl "$F" -c 'use 表11; explain I7' | tail -1)"
# Excel's view follows the noise from cell to cell (a copy of the book
# recalculated in doubles): Z2 = 1.005*100 is the double 100.49999999999999
# in Excel, so Z2-100.5 is not 0 there; after an edit the view is remade
XV=$("$XC" repl "$F" -c 'set Z1 1.005; set Z2 =Z1*100; set Z3 =Z2-100.5; get Z3; excel on; =Z2-100.5; explain Z3; set Z1 2; get Z3')
check "Excel view of a chain (get)" "  Excel:    -1.4210854715202004E-14   (differs)" "$(grep -m1 '^  Excel:' <<<"$XV")"
check "Excel view of a chain (=)" "Excel: -1.4210854715202E-14   (the double -1.4210854715202004E-14; differs)" "$(grep -m1 '^Excel:' <<<"$XV")"
check "Excel view of a chain (explain)" "  Excel's view: -1.4210854715202E-14 (stored as the double -1.4210854715202004E-14)   DIFFERS from the exact value" "$(grep -m1 "Excel's view" <<<"$XV")"
check "Excel view after an edit" "  Excel:    99.5" "$(grep '^  Excel:' <<<"$XV" | tail -1)"
expect_err "bad formula position" 2 "1:4: expected" -- "$XC" repl "$F" -c '=1+'
expect_err "bad cell" 2 "not a cell or range" -- "$XC" repl "$F" -c 'get ZZZZ0'
expect_err "missing file" 2 "nosuch.xlsx" -- "$XC" repl nosuch.xlsx -c '=1'
finish
