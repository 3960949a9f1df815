# bench_smoke.sh - correctness of the benchmark workload on a small scale,
# no timing: 60 self-evaluation forms and a 2,000-cell chain made with the
# shared gen_bench_forms.py, recalculated by `exacalc recalc`, and every
# value read back from the output file (bench/check.py --strict) against
# the exact expected results; the checker must also reject a book whose
# values are missing.  Also audits a few generated batch forms.
# Skips (77) when /usr/bin/python3 lacks openpyxl or the shared scripts
# are not there.
# usage (from the repo root): bash tests/cli/bench_smoke.sh PATH_TO_EXACALC
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
SHARED=${XC_BENCH_SHARED:-../shared/bench}
if ! [ -x "$PY" ] || ! "$PY" -c 'import openpyxl' 2>/dev/null; then
  echo "skip: $PY lacks openpyxl"; exit 77
fi
if ! [ -f "$SHARED/gen_bench_forms.py" ]; then
  echo "skip: $SHARED/gen_bench_forms.py not found"; exit 77
fi

# small workloads + expected.json, through the generator's own functions
"$PY" - "$SHARED" "$TMP" <<'PY' || { echo "FAIL: generator"; exit 1; }
import json, os, sys
sys.path.insert(0, sys.argv[1])
import gen_bench_forms as g
out = sys.argv[2]
exp = {"forms_small": g.gen_forms(os.path.join(out, "forms_small.xlsx"), 60, seed=3),
       "chain_small": g.gen_chain(os.path.join(out, "chain_small.xlsx"), n=2000)}
json.dump(exp, open(os.path.join(out, "expected.json"), "w", encoding="utf-8"), ensure_ascii=False)
PY

for w in forms_small chain_small; do
  expect "recalc $w" 0 "" -- "$XC" recalc "$TMP/$w.xlsx" -o "$TMP/$w.out.xlsx"
  # check.py prints one JSON line ending in "ok": true/false, "problems": [...]
  expect "exact values of $w" 0 "" -- \
    bash -c '"$1" bench/check.py "$2" "$3" "$4" --strict >"$5" || { cat "$5"; exit 1; }' _ \
    "$PY" "$TMP/expected.json" "$w" "$TMP/$w.out.xlsx" "$TMP/$w.check"
done
expect "forms_small: 60 forms, every total exact" 0 \
  '0 60' -- "$PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["form_totals_wrong"], len(json.load(open(sys.argv[2]))["forms_small"]["all_form_totals"]))' \
  "$TMP/forms_small.check" "$TMP/expected.json"
expect "chain_small ends at 200.1" 0 '200.1' -- \
  "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["last"])' "$TMP/chain_small.check"

# the gate must fail on a book without calculated values (the input)
expect "gate rejects uncalculated forms" 1 "" -- \
  bash -c '"$1" bench/check.py "$2" forms_small "$3" --strict >/dev/null' _ \
  "$PY" "$TMP/expected.json" "$TMP/forms_small.xlsx"
expect "gate rejects uncalculated chain" 1 "" -- \
  bash -c '"$1" bench/check.py "$2" chain_small "$3" --strict >/dev/null' _ \
  "$PY" "$TMP/expected.json" "$TMP/chain_small.xlsx"

# batch forms: generated reproducibly, and audited (0 clean / 1 findings)
"$PY" bench/gen_batch.py samples/seed004_selfeval_values.xlsx "$TMP/b1" 3 >/dev/null
"$PY" bench/gen_batch.py samples/seed004_selfeval_values.xlsx "$TMP/b2" 3 >/dev/null
expect "batch generator is reproducible" 0 "" -- diff -r "$TMP/b1" "$TMP/b2"
expect "batch forms audited" 0 "3" -- \
  bash -c '"$1" audit --jobs 2 "$2" >"$3" 2>/dev/null; [ $? -le 1 ] && ls "$2" | grep -c "\.xlsx$"' _ \
  "$XC" "$TMP/b1" "$TMP/audit.txt"
finish
