# repl_tty: the REPL in a real terminal (tmux): the prompt, completion of
# a function name and of a Chinese sheet name, history recall with Up,
# and history kept across sessions.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { echo "tmux not installed: skipped"; exit 77; }
XC=$(readlink -f "$XC")
F=$(readlink -f samples/seed000_targets_values.xlsx)
SOCK="xctest$$"
T="tmux -u -L $SOCK"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

start() {
  $T kill-server 2>/dev/null
  $T new-session -d -x 120 -y 30 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 EXACALC_HISTORY=$TMP/hist $XC repl $F"
  wait_for 'exacalc>'
}
screen() { $T capture-pane -p; }
# wait until the screen shows text (up to 5 s)
wait_for() {
  for _ in $(seq 50); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
  return 1
}
see() { # see "description" "text on the last prompt line"
  if wait_for "$2"; then pass=$((pass+1)); else
    fail=$((fail+1)); echo "FAIL: $1: screen lacks [$2]"; screen | sed 's/^/  | /'; fi
}

start
see "prompt" "exacalc>"
$T send-keys '=ROUNDD' Tab
see "function completion" "exacalc> =ROUNDDOWN("
$T send-keys '2.675,1)' Enter
see "evaluated" "2.6"
$T send-keys 'use 目' Tab
see "Chinese sheet completion" "exacalc> use 目标表"
$T send-keys C-u '=1+2' Enter
see "answer" "3"
$T send-keys Up
see "history recall" "exacalc> =1+2"
$T send-keys C-u 'quit' Enter
sleep 0.5
# a new session remembers the history
start
$T send-keys Up
see "history across sessions" "exacalc> quit"
$T send-keys C-u C-c
see "Ctrl-C keeps the session" "exacalc>"
$T send-keys C-d
sleep 0.5
if $T has-session 2>/dev/null && screen | grep -q 'exacalc> $'; then
  fail=$((fail+1)); echo "FAIL: Ctrl-D did not quit"; else pass=$((pass+1)); fi
# with unsaved edits Ctrl-D asks first; "n" keeps the session, "y" quits
start
$T send-keys 'set B7 1' Enter
see "edit" "1"
$T send-keys C-d
see "asks before quitting" "unsaved edits: quit anyway? (y/n)"
$T send-keys 'n' Enter
$T send-keys '=2+2' Enter
see "still running after n" "4"
$T send-keys C-d
sleep 0.3
$T send-keys 'y' Enter
sleep 0.5
if $T has-session 2>/dev/null && screen | tail -3 | grep -q 'exacalc>'; then
  fail=$((fail+1)); echo "FAIL: y did not quit"; screen | tail -5; else pass=$((pass+1)); fi
finish
