# audit: the seed truths (issue 6) through the command users run, its
# exit codes, JSON, English messages, folders and the annotated copy.
. "$(dirname "$0")/lib.sh"
S=samples/seed004_selfeval_values.xlsx
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo "  want: [$2]"; echo "  got:  [$3]"; fi; }

"$XC" audit --json "$S" > "$TMP/a.json"; rc=$?
check "errors found -> exit 1" 1 "$rc"
# a finding: rule sheet cell stated computed policies, via python's json
q() { /usr/bin/python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["rule"]==sys.argv[2] and f["sheet"]==sys.argv[3] and (len(sys.argv)<5 or f["cell"]==sys.argv[4]):
        print(f["severity"], f["cell"], f["stated"], f["computed"], "|", f["policies"])
' "$TMP/a.json" "$@"; }
check "表11 total.sum 98.1 vs 88.1" "error H24 98.1 88.1 | " "$(q total.sum 表11)"
check "表11 points.total 100 vs 90" "error G24 100 90 | " "$(q points.total 表11)"
check "表11 效益 (30分) holds 20" "error B19 30 20 | " "$(q points.section 表11)"
check "表12 cost 14.9 by no rule" "error H17 14.9 15 | " "$(q score.quant 表12 H17)"
check "表13 annual total blank vs 394.8" "error F7  394.8 | " "$(q fund.sum 表13 F7)"
check "表6 execution blank" "error F7 370 0 | " "$(q fund.sum 表6 F7)"
check "表7 truncation only" "info H15   | trunc1, ratio%:trunc1, ratio%:trunc2, ratio0.1%:trunc1" "$(q score.policy 表7)"
check "表1 rounding only" "info H15   | round1, ratio%:round1, ratio%:round2, ratio0.1%:round1" "$(q score.policy 表1)"
check "表12 truncation only" "info I7   | trunc1, ratio%:trunc1, ratio0.1%:trunc1" "$(q score.policy 表12)"
check "error count" 8 "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errors"])' "$TMP/a.json")"
# clean target tables: no error-level finding, exit 0
# clean target tables: cost lines balance the budget, no error or warning
for f in seed000 seed001 seed003; do
  "$XC" audit samples/${f}_targets_values.xlsx > "$TMP/t.txt"; rc=$?
  check "$f targets clean (exit)" 0 "$rc"
  check "$f targets: no error/warning" 0 "$(grep -cE ' (error|warning) ' "$TMP/t.txt")"
done
# seed 002 gives only average-cost ceilings: a cost.qty warning, not an error
"$XC" audit samples/seed002_targets_values.xlsx > "$TMP/t.txt"; rc=$?
check "seed002 exit" 0 "$rc"
check "seed002 cost.qty warning" 1 "$(grep -c 'warning cost.qty' "$TMP/t.txt")"
# English
"$XC" audit --lang en "$S" > "$TMP/en.txt"
check "english message" 1 "$(grep -c 'total.sum stated 98.1 computed 88.1' "$TMP/en.txt")"
# a folder, in parallel, one report in order
"$XC" audit --jobs 2 samples > "$TMP/all.txt"; rc=$?
check "folder exit" 1 "$rc"
check "folder summary" "10 files audited, 2 with errors (10 error findings)" "$(tail -1 "$TMP/all.txt")"
# annotated copy: the original plus review sheets, recomputed cleanly
"$XC" audit -o "$TMP/annot.xlsx" "$S" > /dev/null
check "review sheets" 13 "$("$XC" repl "$TMP/annot.xlsx" -c sheets | grep -c '复核')"
"$XC" verify "$TMP/annot.xlsx" > "$TMP/v.txt"; rc=$?
check "annotated file verifies (exit)" 0 "$rc"
check "annotated: nothing differs" 1 "$(tail -1 "$TMP/v.txt" | grep -c ', 0 differ, 0 unsupported')"
# bad input
expect_err "missing file" 2 "nosuch" -- "$XC" audit nosuch.xlsx
expect_err "bad option" 2 "unknown option" -- "$XC" audit --frob "$S"
expect_err "not a zip" 2 "README.md" -- "$XC" audit README.md
finish
