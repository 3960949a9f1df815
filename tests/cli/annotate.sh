# annotate: `audit -o` writes the workbook with every finding's cell
# filled in its severity's colour and commented, plus the review sheets;
# checked with an independent reader (openpyxl).  Exit 77 without it.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
if ! [ -x "$PY" ] || ! "$PY" -c 'import openpyxl' 2>/dev/null; then
  echo "skip: $PY lacks openpyxl"; exit 77
fi
S=samples/seed004_selfeval_values.xlsx
[ -r "$S" ] || { echo "skip: $S missing"; exit 77; }
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo "  want: [$2]"; echo "  got:  [$3]"; fi; }

"$XC" audit --json "$S" > "$TMP/a.json"
"$XC" audit -o "$TMP/out.xlsx" "$S" > /dev/null; rc=$?
check "audit -o with errors exits 1" 1 "$rc"
check "annotated file written" yes "$([ -s "$TMP/out.xlsx" ] && echo yes)"

# one line per check from python: "ok NAME" or "bad NAME details"
"$PY" - "$S" "$TMP/out.xlsx" "$TMP/a.json" > "$TMP/py.txt" 2>&1 <<'PYEOF'
import json, sys, openpyxl
from copy import copy
src, out, js = sys.argv[1:4]
a = openpyxl.load_workbook(src)
b = openpyxl.load_workbook(out)
d = json.load(open(js))
colour = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFDDEBF7"}
rank = {"info": 0, "warning": 1, "error": 2}
def say(ok, name, det=""):
    print(("ok " if ok else "bad ") + name + ("" if ok else " " + det))
def rgb(c):
    return c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
def note(ws, ref):
    c = ws[ref]
    return c.comment.text if c.comment else ""
# the issue's two cells
for sh, ref, rule in (("表11", "H24", "total.sum"), ("表12", "H17", "score.quant")):
    c = b[sh][ref]
    say(rule in note(b[sh], ref), sh + "!" + ref + " comment", repr(note(b[sh], ref)))
    say(rgb(c) == "FFFFC7CE", sh + "!" + ref + " red", str(rgb(c)))
# every finding: its cell commented with its rule, the top severity's fill
cells = {}
for f in d["findings"]:
    k = (f["sheet"], f["cell"])
    cells.setdefault(k, []).append(f)
bad = []
for (sh, ref), fs in cells.items():
    top = max(fs, key=lambda f: rank[f["severity"]])["severity"]
    t = note(b[sh], ref)
    if rgb(b[sh][ref]) != colour[top] or not all(f["rule"] in t for f in fs):
        bad.append(sh + "!" + ref)
say(not bad, "all %d finding cells" % len(cells), " ".join(bad[:5]))
# review sheets
for sh in ("表11", "表12"):
    say("复核-" + sh in b.sheetnames, "review sheet for " + sh)
# the original sheets: same values, number formats, fonts, borders;
# fills unchanged except on finding cells; no other comments
diff = []
for ws in a.worksheets:
    wb = b[ws.title]
    for row in ws.iter_rows():
        for c in row:
            d2 = wb[c.coordinate]
            if c.value != d2.value or c.number_format != d2.number_format \
               or any(copy(getattr(c, k)) != copy(getattr(d2, k))
                      for k in ("font", "border", "alignment", "protection")):
                diff.append(ws.title + "!" + c.coordinate)
            if (ws.title, c.coordinate) not in cells and \
               (copy(c.fill) != copy(d2.fill) or d2.comment is not None):
                diff.append(ws.title + "!" + c.coordinate + "(fill/comment)")
say(not diff, "original cells unchanged", " ".join(diff[:5]))
say(b.sheetnames[:len(a.sheetnames)] == a.sheetnames, "sheet order kept")
PYEOF
while read -r st name; do
  if [ "$st" = ok ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $name"; fi
done < "$TMP/py.txt"
check "python checks ran" 9 "$(grep -c '^ok\|^bad' "$TMP/py.txt")"

# English notes with --lang en
"$XC" audit --lang en -o "$TMP/en.xlsx" "$S" > /dev/null
check "English note" yes "$("$PY" -c '
import openpyxl, sys
c = openpyxl.load_workbook(sys.argv[1])["表11"]["H24"]
print("yes" if c.comment and "[error] total.sum" in c.comment.text and "stated: 98.1" in c.comment.text else c.comment)
' "$TMP/en.xlsx")"
# a sheet that has comments of its own keeps them: highlighted, not noted
"$PY" -c '
import openpyxl, sys
from openpyxl.comments import Comment
wb = openpyxl.load_workbook(sys.argv[1])
wb["表11"]["A1"].comment = Comment("the reviewer was here", "someone")
wb.save(sys.argv[2])
' "$S" "$TMP/c.xlsx"
"$XC" audit -o "$TMP/c_out.xlsx" "$TMP/c.xlsx" > /dev/null 2> "$TMP/c_err"
check "unnoted cells reported" yes "$(grep -q 'without a note' "$TMP/c_err" && echo yes)"
check "own comments kept, findings highlighted" "the reviewer was here|None|FFFFC7CE|score.quant" "$("$PY" -c '
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
a, h, k = wb["表11"]["A1"], wb["表11"]["H24"], wb["表12"]["H17"]
print(a.comment.text if a.comment else None, h.comment, h.fill.fgColor.rgb,
      "score.quant" if k.comment and "score.quant" in k.comment.text else k.comment, sep="|")
' "$TMP/c_out.xlsx")"
finish
