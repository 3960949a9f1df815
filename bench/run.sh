#!/usr/bin/env bash
# bench/run.sh - exacalc against its peers on the shared benchmark workload,
# with a correctness gate.  One command:
#
#   bench/run.sh [--quick] [--runs N] [--edits N] [--no-peers] [--no-batch]
#                [--workloads "forms_1k chain_100k forms_10k"]
#
# 1. builds exacalc (Release, in build-bench unless XC_BENCH_BUILD is set)
#    and bench/xcbench.c against its static libraries;
# 2. makes the workloads in bench/work/ (gitignored): forms_1k, forms_10k,
#    chain_100k and expected.json with ../shared/bench/gen_bench_forms.py,
#    and 1,000 small single-sheet forms for the batch audit (gen_batch.py);
# 3. runs, N times, ALTERNATING (the order rotates every run): exacalc
#    recalc, xcbench (in-process phases + edits), Gnumeric ssconvert
#    --recalc, LibreOffice headless with a recalculating profile, and
#    HyperFormula under node; whole processes are timed with
#    /usr/bin/time -f '%e %M';
# 4. checks EVERY exacalc output against the exact expected values
#    (check.py --strict; xcbench's in-process values too) and the peers'
#    first outputs for information;
# 5. writes bench/work/results/table.md (and prints it).
# Exit status: 0 when exacalc's results are all exact, 1 when any is
# wrong or missing (a fast wrong answer is a failure), 2 on usage or
# setup errors.  Unavailable peers are reported as such, not as failures.
#
# --quick: 1 run, 5 edits, no LibreOffice batch.  Default: 5 runs, 20 edits.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${XC_BENCH_SHARED:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd)}
BUILD=${XC_BENCH_BUILD:-$ROOT/build-bench}
W=$ROOT/bench/work
PY=/usr/bin/python3
RUNS=5
EDITS=20
QUICK=0
PEERS=1
BATCH=1
WORKLOADS="forms_1k chain_100k forms_10k"
TMO=${XC_BENCH_TIMEOUT:-900}

while [ $# -gt 0 ]; do
    case $1 in
    --quick) QUICK=1; RUNS=1; EDITS=5 ;;
    --runs) RUNS=${2:?}; shift ;;
    --edits) EDITS=${2:?}; shift ;;
    --no-peers) PEERS=0 ;;
    --no-batch) BATCH=0 ;;
    --workloads) WORKLOADS=${2:?}; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--runs N] [--edits N] [--no-peers] [--no-batch] [--workloads LIST]" >&2
       exit 2 ;;
    esac
    shift
done

say() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 2; }

[ -n "$SHARED" ] && [ -f "$SHARED/gen_bench_forms.py" ] ||
    die "shared benchmark scripts not found (set XC_BENCH_SHARED)"
$PY -c 'import openpyxl' 2>/dev/null || die "$PY lacks openpyxl (apt-get install python3-openpyxl)"

# ---- 1. build ------------------------------------------------------------
say "building exacalc in $BUILD (Release)"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null || die "cmake configure failed"
fi
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt" ||
    say "warning: $BUILD is not a Release build; timings are not representative"
cmake --build "$BUILD" -j"$(nproc)" --target exacalc xc_io xc_formula xc_kernel >"$W.build.log" 2>&1 ||
    { tail -20 "$W.build.log" >&2; die "build failed"; }
rm -f "$W.build.log"
XC=$BUILD/exacalc
mkdir -p "$W"/{wb,out,results,logs}
# shellcheck disable=SC2046
cc -O2 -std=c11 "$ROOT/bench/xcbench.c" -I"$ROOT/kernel/include" -I"$ROOT/formula/include" \
    -I"$ROOT/io/include" -I"$ROOT/io" -o "$W/xcbench" "$BUILD/libxc_io.a" "$BUILD/libxc_formula.a" \
    "$BUILD/libxc_kernel.a" $(pkg-config --libs libzip expat libisal zlib mpfr gmp) -lm -lpthread ||
    die "cannot build bench/xcbench.c"

# ---- 2. workloads ----------------------------------------------------------
if [ ! -f "$W/wb/expected.json" ] || [ "$SHARED/gen_bench_forms.py" -nt "$W/wb/expected.json" ]; then
    say "generating forms_1k, forms_10k, chain_100k (about a minute)"
    (cd "$W/wb" && $PY "$SHARED/gen_bench_forms.py" . >/dev/null) || die "gen_bench_forms.py failed"
fi
NBATCH=$(find "$W/batch" -maxdepth 1 -name "*.xlsx" 2>/dev/null | wc -l)
if [ "$BATCH" = 1 ] && { [ "$NBATCH" != 1000 ] || [ "$ROOT/bench/gen_batch.py" -nt "$W/batch/form0999.xlsx" ]; }; then
    say "generating 1,000 batch forms"
    rm -rf "$W/batch"
    $PY "$ROOT/bench/gen_batch.py" "$ROOT/samples/seed004_selfeval_values.xlsx" "$W/batch" 1000 >/dev/null ||
        die "gen_batch.py failed"
fi

# ---- peers -----------------------------------------------------------------
declare -A AVAIL
AVAIL[gnumeric]="not run (--no-peers)"
AVAIL[libreoffice]="not run (--no-peers)"
AVAIL[hyperformula]="not run (--no-peers)"
if [ "$PEERS" = 1 ]; then
    if command -v ssconvert >/dev/null; then AVAIL[gnumeric]=yes
    else AVAIL[gnumeric]="unavailable: ssconvert not installed (apt-get install gnumeric)"; fi
    if ! command -v soffice >/dev/null; then
        AVAIL[libreoffice]="unavailable: soffice not installed (apt-get install libreoffice-calc-nogui)"
    elif [ -f "$W/lo/lo-always/user/registrymodifications.xcu" ] &&
         grep -q OOXMLRecalcMode "$W/lo/lo-always/user/registrymodifications.xcu"; then
        AVAIL[libreoffice]=yes
    elif bash "$SHARED/lo_profiles.sh" "$W/lo" >"$W/logs/lo_profile.log" 2>&1; then
        AVAIL[libreoffice]=yes
    else
        AVAIL[libreoffice]="unavailable: lo_profiles.sh could not make a recalculating profile"
    fi
    if ! command -v node >/dev/null; then
        AVAIL[hyperformula]="unavailable: node not installed"
    else
        if [ ! -d "$W/node/node_modules/hyperformula" ] || [ ! -d "$W/node/node_modules/xlsx" ]; then
            say "npm install hyperformula xlsx"
            mkdir -p "$W/node"
            (cd "$W/node" && timeout 300 npm install --no-audit --no-fund hyperformula xlsx) \
                >"$W/logs/npm.log" 2>&1
        fi
        if [ -d "$W/node/node_modules/hyperformula" ] && [ -d "$W/node/node_modules/xlsx" ]; then
            AVAIL[hyperformula]=yes
        else
            AVAIL[hyperformula]="unavailable: npm install hyperformula xlsx failed (see bench/work/logs/npm.log)"
        fi
    fi
fi
HFVER=$( [ -f "$W/node/node_modules/hyperformula/package.json" ] &&
    $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$W/node/node_modules/hyperformula/package.json" 2>/dev/null)
LOVER=$(command -v soffice >/dev/null && soffice --version 2>/dev/null | awk '{print $2; exit}')
GNVER=$(command -v ssconvert >/dev/null && ssconvert --version 2>&1 | sed -n "s/.*version '\(.*\)'.*/\1/p" | head -1)

RES=$W/results/results.jsonl
: >"$RES"
FAIL=0

# record ENGINE WORKLOAD RUN STATUS SECS RSSKB [EXTRA_JSON] -> one JSON line
record() {
    printf '{"engine":"%s","workload":"%s","run":%s,"rc":%s,"secs":%s,"rss_kb":%s,"extra":%s}\n' \
        "$1" "$2" "$3" "$4" "${5:-null}" "${6:-null}" "${7:-null}" >>"$RES"
}

# timed ENGINE WORKLOAD RUN CMD... : whole-process time and peak RSS
timed() {
    local e=$1 w=$2 r=$3 t=$W/logs/time.txt
    shift 3
    rm -f "$t"
    /usr/bin/time -f '%e %M' -o "$t" timeout "$TMO" "$@" >"$W/logs/$e.$w.out" 2>"$W/logs/$e.$w.err"
    local rc=$?
    local secs rss
    secs=$(awk 'END{print $1}' "$t" 2>/dev/null)
    rss=$(awk 'END{print $2}' "$t" 2>/dev/null)
    [ -n "$secs" ] || secs=null
    [ -n "$rss" ] || rss=null
    LAST_RC=$rc
    LAST_SECS=$secs
    LAST_RSS=$rss
}

# exacalc recalc exits 0 (clean) or 1 (findings such as cycles): both ran
run_exacalc() {
    local w=$1 r=$2 out=$W/out/exacalc/$1.xlsx
    mkdir -p "$W/out/exacalc"
    rm -f "$out"
    timed exacalc "$w" "$r" "$XC" recalc "$W/wb/$w.xlsx" -o "$out"
    local chk
    chk=$($PY "$ROOT/bench/check.py" "$W/wb/expected.json" "$w" "$out" --strict)
    local crc=$?
    [ -n "$chk" ] || chk=null
    if [ $crc != 0 ] || [ "$LAST_RC" -gt 1 ]; then
        FAIL=1
        say "FAIL: exacalc $w run $r: rc $LAST_RC, check: $chk"
    fi
    record exacalc "$w" "$r" "$LAST_RC" "$LAST_SECS" "$LAST_RSS" "$chk"
}

run_xcbench() {
    local w=$1 r=$2
    timed xcbench "$w" "$r" "$W/xcbench" --edits "$EDITS" --excel-view "$W/wb/$w.xlsx" "$W/out/xcbench.$w.xlsx"
    local j
    j=$(head -1 "$W/logs/xcbench.$w.out")
    [ -n "$j" ] || j=null
    if ! $PY - "$W/wb/expected.json" "$w" "$j" <<'PY'; then
import json, sys
from fractions import Fraction
exp = json.load(open(sys.argv[1], encoding="utf-8"))[sys.argv[2]]
j = json.loads(sys.argv[3])
bad = []
if "last_cell" in exp:
    for k in ("chain_last", "chain_last_after_edits"):
        if k in j and j[k] != exp["last_value_exact"]:
            bad.append(f"{k} = {j[k]}")
    if "chain_last" not in j:
        bad.append("no chain value")
else:
    want = {"B1": exp["grand_total_B1"], "B2": exp["average_B2"], "B3": exp["exec_sum_B3"],
            "B4": exp["budget_sum_B4"], "B6": str(exp["ok_count_B6"]), "B7": str(exp["excellent_count_B7"])}
    b5 = Fraction(exp["exec_rate_B5_exact"])
    for key in ("values", "values_after_edits"):
        if key not in j:
            continue
        v = j[key]
        for b, e in want.items():
            if v.get(b) != e:
                bad.append(f"{key}.{b} = {v.get(b)}, expected {e}")
        got = v.get("B5") or ""
        if Fraction(got.split(" ")[0]) != b5:
            bad.append(f"{key}.B5 = {got[:40]}")
    if "values" not in j:
        bad.append("no values")
if bad:
    print("; ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
        FAIL=1
        say "FAIL: xcbench $w run $r: wrong in-process values (rc $LAST_RC)"
    fi
    record xcbench "$w" "$r" "$LAST_RC" "$LAST_SECS" "$LAST_RSS" "$j"
}

# peer_check ENGINE WORKLOAD FILE: untimed, informational
peer_check() {
    local chk
    chk=$($PY "$ROOT/bench/check.py" "$W/wb/expected.json" "$2" "$3" 2>/dev/null)
    [ -n "$chk" ] || chk=null
    record "$1-check" "$2" 0 0 null null "$chk"
}

run_gnumeric() {
    local w=$1 r=$2 out=$W/out/gnumeric/$1.xlsx
    mkdir -p "$W/out/gnumeric"
    rm -f "$out"
    timed gnumeric "$w" "$r" ssconvert --recalc "$W/wb/$w.xlsx" "$out"
    record gnumeric "$w" "$r" "$LAST_RC" "$LAST_SECS" "$LAST_RSS"
    [ "$r" = 1 ] && peer_check gnumeric "$w" "$out"
}

run_libreoffice() {
    local w=$1 r=$2 od=$W/out/libreoffice
    mkdir -p "$od"
    rm -f "$od/$w.xlsx"
    timed libreoffice "$w" "$r" soffice -env:UserInstallation="file://$W/lo/lo-always" --headless \
        --convert-to xlsx --outdir "$od" "$W/wb/$w.xlsx"
    [ -f "$od/$w.xlsx" ] || LAST_RC=99
    record libreoffice "$w" "$r" "$LAST_RC" "$LAST_SECS" "$LAST_RSS"
    [ "$r" = 1 ] && peer_check libreoffice "$w" "$od/$w.xlsx"
}

run_hyperformula() {
    local w=$1 r=$2 j
    NODE_PATH=$W/node/node_modules timed hyperformula "$w" "$r" \
        node --max-old-space-size=8192 "$SHARED/bench_hf.js" "$W/wb/$w.xlsx"
    j=$(grep '^{' "$W/logs/hyperformula.$w.out" | tail -1)
    [ -n "$j" ] || { j=null; [ "$LAST_RC" = 0 ] && LAST_RC=98; }
    record hyperformula "$w" "$r" "$LAST_RC" "$LAST_SECS" "$LAST_RSS" "$j"
}

# NODE_PATH must reach node through /usr/bin/time and timeout
export NODE_PATH=$W/node/node_modules

ENGINES=(exacalc xcbench)
for p in gnumeric libreoffice hyperformula; do
    [ "${AVAIL[$p]}" = yes ] && ENGINES+=("$p")
done

# ---- 3. alternating runs ----------------------------------------------------
say "engines: ${ENGINES[*]}; workloads: $WORKLOADS; runs: $RUNS"
for ((r = 1; r <= RUNS; r++)); do
    for w in $WORKLOADS; do
        n=${#ENGINES[@]}
        for ((k = 0; k < n; k++)); do
            e=${ENGINES[$(((k + r - 1) % n))]}
            say "run $r/$RUNS $w $e"
            "run_$e" "$w" "$r"
        done
    done
done

# ---- batch: 1,000 small forms --------------------------------------------------
if [ "$BATCH" = 1 ]; then
    say "batch: exacalc audit of 1,000 forms"
    timed exacalc-audit batch 1 "$XC" audit --jobs "$(nproc)" "$W/batch"
    # audit exits 0 (clean) or 1 (findings); the varied forms have findings
    record exacalc-audit batch 1 "$LAST_RC" "$LAST_SECS" "$LAST_RSS" \
        "{\"summary\":\"$(tail -1 "$W/logs/exacalc-audit.batch.out" | sed 's/"/\\"/g')\"}"
    [ "$LAST_RC" -le 1 ] || { FAIL=1; say "FAIL: audit rc $LAST_RC"; }
    say "batch: exacalc audit --jobs 1"
    timed exacalc-audit1 batch 1 "$XC" audit --jobs 1 "$W/batch"
    record exacalc-audit1 batch 1 "$LAST_RC" "$LAST_SECS" "$LAST_RSS"
    say "batch: exacalc recalc, one process per file"
    mkdir -p "$W/out/batch-exacalc"
    timed exacalc-recalc batch 1 bash -c 'for f in "$1"/*.xlsx; do "$2" recalc "$f" -o "$3/${f##*/}" || [ $? = 1 ] || exit 9; done' \
        _ "$W/batch" "$XC" "$W/out/batch-exacalc"
    record exacalc-recalc batch 1 "$LAST_RC" "$LAST_SECS" "$LAST_RSS"
    if [ "${AVAIL[libreoffice]}" = yes ] && [ "$QUICK" = 0 ]; then
        # one soffice per 100 files: a single soffice given all 1,000
        # stopped (exit 0) after ~250 files here
        say "batch: LibreOffice, 10 processes converting 100 files each"
        rm -rf "$W/out/batch-lo"
        mkdir -p "$W/out/batch-lo"
        timed libreoffice batch 1 bash -c 'ls "$1"/*.xlsx | xargs -n 100 soffice \
            -env:UserInstallation="file://$2/lo/lo-always" --headless --convert-to xlsx --outdir "$3"' \
            _ "$W/batch" "$W" "$W/out/batch-lo"
        nlo=$(find "$W/out/batch-lo" -maxdepth 1 -name "*.xlsx" | wc -l)
        record libreoffice batch 1 "$LAST_RC" "$LAST_SECS" "$LAST_RSS" "{\"files_written\":$nlo}"
    fi
fi

# ---- 4. table -------------------------------------------------------------------
{
    printf '{"engine":"meta","date":"%s","nproc":%s,"cpu":"%s","load":"%s","runs":%s,"edits":%s,' \
        "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" \
        "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" "$RUNS" "$EDITS"
    printf '"commit":"%s","versions":{"gnumeric":"%s","libreoffice":"%s","hyperformula":"%s","node":"%s"},' \
        "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" status --porcelain -uno 2>/dev/null | grep -q . && echo ' + uncommitted changes')" "$GNVER" "$LOVER" "$HFVER" \
        "$(node --version 2>/dev/null)"
    printf '"avail":{"gnumeric":"%s","libreoffice":"%s","hyperformula":"%s"}}\n' \
        "${AVAIL[gnumeric]}" "${AVAIL[libreoffice]}" "${AVAIL[hyperformula]}"
} >>"$RES"
$PY "$ROOT/bench/report.py" "$RES" >"$W/results/table.md" || { say "report.py failed"; FAIL=1; }
cat "$W/results/table.md"
if [ "$FAIL" != 0 ]; then
    say "CORRECTNESS FAILURE: exacalc gave a wrong or no result (see above)"
    exit 1
fi
say "all exacalc results exact; table in bench/work/results/table.md"
exit 0
