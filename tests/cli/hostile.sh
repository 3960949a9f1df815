# hostile.sh - hostile and malformed input never crashes exacalc.
#
# Every `reject-or-recover` file of the shared xlsx corpus (MANIFEST.tsv),
# plus packages damaged here (truncated, garbage, empty, a directory, a
# zip bomb), is given to `exacalc show` and `exacalc verify`: the result
# must be exit 2 with a one-line message naming the file, or exit 0/1
# for a recovered partial result; never a crash (exit >= 128), never
# more than 10 s, and within 2 GB of address space.  Malformed formulas,
# numbers and commands exit 2 with line:column.
. "$(dirname "$0")/lib.sh"

CORPUS=${XC_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/testdata/xlsx-corpus}
PY=/usr/bin/python3

# hostile "description" FILE -- exacalc args (FILE among them)
hostile() {
  local what=$1 file=$2; shift 3
  local rc lines
  ( vmem_cap; exec timeout 10 "$XC" "$@" ) >"$TMP/stdout" 2>"$TMP/stderr"
  rc=$?
  lines=$(wc -l <"$TMP/stderr")
  local ok=0
  case $rc in
    0|1) ok=1 ;;
    2) if [ "$lines" -le 1 ] && grep -qF -- "$(basename "$file")" "$TMP/stderr"; then ok=1; fi ;;
  esac
  if [ $ok = 1 ]; then
    pass=$((pass+1))
  else
    fail=$((fail+1))
    echo "FAIL: $what"
    echo "  command: $*"
    echo "  want: exit 0/1, or 2 with one line naming $(basename "$file")"
    echo "  got:  rc=$rc ($( [ $rc = 124 ] && echo 'timed out after 10 s' || { [ $rc -ge 128 ] && echo "signal $((rc-128))"; } )) stderr=[$(head -c 400 "$TMP/stderr")]"
  fi
}

# ---- the shared corpus ----
if [ -f "$CORPUS/MANIFEST.tsv" ]; then
  n=0
  while IFS=$'\t' read -r file _ _ _ _ _ _ _ expect _; do
    [ "$expect" = reject-or-recover ] || continue
    f="$CORPUS/$file"
    [ -f "$f" ] || { echo "missing $f"; continue; }
    hostile "show $file"   "$f" -- show "$f"
    hostile "verify $file" "$f" -- verify "$f"
    hostile "verify --json $file" "$f" -- verify --json "$f"
    n=$((n+1))
  done <"$CORPUS/MANIFEST.tsv"
  [ $n -ge 10 ] || { echo "FAIL: only $n reject-or-recover files found"; fail=$((fail+1)); }
else
  echo "note: no corpus at $CORPUS; corpus part skipped"
fi

# ---- packages damaged here ----
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SAMPLE=$SRC/samples/seed000_targets_formulas.xlsx
size=$(stat -c %s "$SAMPLE")
for cut in 30 100 1000 $((size/2)) $((size-22)) $((size-1)); do
  head -c $cut "$SAMPLE" >"$TMP/trunc_$cut.xlsx"
  hostile "truncated at $cut" "$TMP/trunc_$cut.xlsx" -- show "$TMP/trunc_$cut.xlsx"
  hostile "verify truncated at $cut" "$TMP/trunc_$cut.xlsx" -- verify "$TMP/trunc_$cut.xlsx"
done
# bytes flipped inside the compressed data (fixed positions: reproducible)
$PY - "$SAMPLE" "$TMP" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
for k, pos in enumerate([200, 1500, 3000, 5000, len(data) // 2, len(data) - 100]):
    d = bytearray(data)
    for i in range(pos, min(pos + 16, len(d))):
        d[i] ^= 0x5A
    open('%s/flip_%d.xlsx' % (sys.argv[2], k), 'wb').write(d)
EOF
for k in 0 1 2 3 4 5; do
  hostile "flipped bytes $k" "$TMP/flip_$k.xlsx" -- verify "$TMP/flip_$k.xlsx"
done
: >"$TMP/empty.xlsx"
hostile "empty file" "$TMP/empty.xlsx" -- show "$TMP/empty.xlsx"
head -c 20000 /dev/urandom >"$TMP/random.xlsx"
hostile "random bytes" "$TMP/random.xlsx" -- verify "$TMP/random.xlsx"
mkdir -p "$TMP/adir.xlsx"
hostile "a directory" "$TMP/adir.xlsx" -- show "$TMP/adir.xlsx"
hostile "no such file" "$TMP/nosuch.xlsx" -- verify "$TMP/nosuch.xlsx"
# package whose parts are all garbage / missing
$PY - "$TMP" <<'EOF'
import sys, zipfile
t = sys.argv[1]
with zipfile.ZipFile(t + '/parts_garbage.xlsx', 'w') as z:
    for n in ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml',
              'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml']:
        z.writestr(n, b'\x00\xff<<<&&&')
with zipfile.ZipFile(t + '/no_workbook.xlsx', 'w') as z:
    z.writestr('hello.txt', 'hi')
# a deflate bomb: 1.2 GB of blanks in one sheet, ~1.2 MB on disk,
# honest headers: the default 1 GiB per-part cap must stop it
ct = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
wb = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
wbr = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
with zipfile.ZipFile(t + '/bomb.xlsx', 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    z.writestr('[Content_Types].xml', ct)
    z.writestr('_rels/.rels', rels)
    z.writestr('xl/workbook.xml', wb)
    z.writestr('xl/_rels/workbook.xml.rels', wbr)
    with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as w:
        w.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        chunk = b' ' * (1 << 24)
        for _ in range(72):  # 1.2 GB
            w.write(chunk)
        w.write(b'</sheetData></worksheet>')
EOF
hostile "parts of garbage" "$TMP/parts_garbage.xlsx" -- verify "$TMP/parts_garbage.xlsx"
hostile "no workbook part" "$TMP/no_workbook.xlsx" -- show "$TMP/no_workbook.xlsx"
if [ -f "$TMP/bomb.xlsx" ]; then
  expect_err "deflate bomb refused at the part cap" 2 "bomb.xlsx: xl/worksheets/sheet1.xml" -- \
    bash -c '[ -n "$2" ] && ulimit -v "$2"; exec timeout 10 "$0" verify "$1"' "$XC" "$TMP/bomb.xlsx" "$VMEM_KB"
fi
# hostile CSV
head -c 5000 /dev/urandom >"$TMP/random.csv"
hostile "random CSV" "$TMP/random.csv" -- show "$TMP/random.csv"
$PY -c "import sys; sys.stdout.write('\"' + 'x' * 100000 + '\",1\n' + ','*20000 + '\n\"unterminated')" >"$TMP/wide.csv"
hostile "long field, wide row, open quote" "$TMP/wide.csv" -- show "$TMP/wide.csv"

# ---- malformed formulas, numbers and commands: exit 2 with line:column ----
expect_err "dangling operator"   2 "1:4"  -- "$XC" eval '=1+'
expect_err "malformed number"    2 "1:2: malformed number" -- "$XC" eval '=1.2.3'
expect_err "exponent too large"  2 "1:2: number out of range" -- "$XC" eval '=1E+999999'
expect_err "unclosed paren"      2 "1:6"  -- "$XC" eval '=((1)'
expect_err "extra paren"         2 "1:10" -- "$XC" eval '=SUM(1,2))'
expect_err "open string"         2 "1:2: unterminated string" -- "$XC" eval '="abc'
expect_err "bad error literal"   2 "1:2"  -- "$XC" eval '=#BOGUS!'
deep="=$(printf '(%.0s' $(seq 70))1$(printf ')%.0s' $(seq 70))"
expect_err "nesting beyond 64"   2 "1:[0-9]+: nested deeper than 64" -- "$XC" eval "$deep"
long="=$($PY -c "print('1+' * 4200 + '1')")"
expect_err "formula beyond 8192 characters" 2 "1:[0-9]+" -- "$XC" eval "$long"
expect_err "NUL-free garbage"    2 "1:[0-9]+" -- "$XC" eval "=$(printf '\x01\x02\x7f')"
expect_err "unknown command"     2 "unknown command" -- "$XC" frobnicate
expect_err "repl bad formula"    2 "1:8" -- "$XC" repl "$SAMPLE" -c 'set A1 =SUM(1,'
expect_err "bad range"           2 "A0:B2" -- "$XC" show "$SAMPLE" 'Sheet!A0:B2'
expect_err "recalc without -o"   2 "." -- "$XC" recalc "$SAMPLE"
expect_err "digits not a number" 2 "." -- "$XC" eval --digits abc '=1/3'

finish
