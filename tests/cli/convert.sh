# convert: xlsx <-> csv, and the CSV formula-injection guard.
. "$(dirname "$0")/lib.sh"
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo "  want: [$2]"; echo "  got:  [$3]"; fi; }
printf '名称,值\r\n=HYPERLINK("x"),"+1"\r\n总分,98.1\r\n' > "$TMP/in.csv"
expect "csv -> xlsx" 0 "" -- "$XC" convert "$TMP/in.csv" "$TMP/t.xlsx"
expect "xlsx -> csv" 0 "" -- "$XC" convert "$TMP/t.xlsx" "$TMP/plain.csv"
check "text stays text, numbers exact" $'名称,值\r\n"=HYPERLINK(""x"")","+1"\r\n总分,98.1' "$(cat "$TMP/plain.csv" | sed '$ s/\r$//')"
expect "guarded csv" 0 "" -- "$XC" convert --guard "$TMP/t.xlsx" "$TMP/g.csv"
check "guard prefixes formula-like text" $'名称,值\r\n"\'=HYPERLINK(""x"")",\'+1\r\n总分,98.1' "$(cat "$TMP/g.csv" | sed '$ s/\r$//')"
expect_err "guard needs csv" 2 "CSV output only" -- "$XC" convert --guard "$TMP/in.csv" "$TMP/x.xlsx"
expect_err "missing input" 2 "nosuch.csv" -- "$XC" convert "$TMP/nosuch.csv" "$TMP/y.xlsx"
check "no partial output" "" "$(ls "$TMP"/y.xlsx 2>/dev/null)"
finish
