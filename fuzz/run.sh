#!/bin/bash
# run.sh - run the libFuzzer targets one at a time, in rotation, at the
# lowest priority (nice 19, SCHED_IDLE), and log each chunk's executions.
#
#   fuzz/run.sh BUILD_DIR WORK_DIR [PLAN]
#
# BUILD_DIR holds the fuzz_* binaries (CC=clang, -DXC_FUZZ=ON).  They are
# copied into WORK_DIR/bin first, so rebuilding does not disturb a run.
# PLAN has lines "TARGET SECONDS [libFuzzer options]" (default: the plan
# below); it is read again every round, so it can be edited while this
# runs.  Each chunk grows WORK_DIR/corpus/TARGET (seeded from
# fuzz/corpus/TARGET), writes crashes to WORK_DIR/art/TARGET/ and its
# log to WORK_DIR/logs/TARGET.N.log; WORK_DIR/logs/ALL gets one line per
# chunk with stat::number_of_executed_units.  Stop by creating
# WORK_DIR/stop (the current chunk runs to its end).  Use -merge=1 to
# bring a grown corpus back into fuzz/corpus/ (see docs/fuzzing.md).
set -u
build=$(cd "$1" && pwd)
work=$2
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/bin" "$work/logs" "$work/corpus" "$work/art"
work=$(cd "$work" && pwd)
plan=${3:-$work/plan}
if [ ! -e "$plan" ]; then
    cat >"$plan" <<'EOF'
zip 420 -timeout=10 -max_len=16384
csv 420 -timeout=10 -max_len=4096
xlsx 420 -timeout=25 -max_len=65536
parse 600 -timeout=10 -max_len=4096
indicator 240 -timeout=10 -max_len=1024
eval 420 -timeout=25 -max_len=512
num 240 -timeout=10 -max_len=1024
EOF
fi
for b in "$build"/fuzz/fuzz_*; do
    [ -x "$b" ] && cp "$b" "$work/bin/"
done

# SCHED_IDLE as well as nice 19 where chrt can set it: a niced fuzzer
# still slowed exacalc's own threads (the second core's inflate and
# deflate) by a quarter in benchmark runs made beside it.
idle=""
chrt --idle 0 true 2>/dev/null && idle="chrt --idle 0"

chunk() { # TARGET SECONDS [options]
    local t=$1 secs=$2 n log dict=()
    shift 2
    mkdir -p "$work/corpus/$t" "$work/art/$t"
    n=$(ls "$work/logs" | grep -c "^$t\.")
    log=$work/logs/$t.$n.log
    case $t in
    parse | eval) dict=(-dict="$src/dict/formula.dict") ;;
    *) [ -f "$src/dict/$t.dict" ] && dict=(-dict="$src/dict/$t.dict") ;;
    esac
    echo "start $(date +%T) $t $secs $*" >>"$work/logs/ALL"
    (cd "$work" && nice -n 19 $idle "$work/bin/fuzz_$t" -max_total_time="$secs" \
        -print_final_stats=1 -artifact_prefix="$work/art/$t/" \
        -rss_limit_mb=2048 "${dict[@]}" "$@" "$work/corpus/$t" \
        "$src/corpus/$t" >"$log" 2>&1)
    echo "end $(date +%T) $t rc=$? $(grep -h 'stat::number_of_executed_units' "$log")" \
        >>"$work/logs/ALL"
}

while [ ! -e "$work/stop" ]; do
    while read -r t secs opts; do
        [ -e "$work/stop" ] && exit 0
        case "$t" in '' | \#*) continue ;; esac
        if [ ! -x "$work/bin/fuzz_$t" ]; then # else every chunk fails at once
            echo "run.sh: no $build/fuzz/fuzz_$t (BUILD_DIR is the build" \
                "directory, not its fuzz/)" >&2
            exit 2
        fi
        # shellcheck disable=SC2086
        chunk "$t" "$secs" $opts
    done <"$plan"
done
