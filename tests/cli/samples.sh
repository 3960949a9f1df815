#!/bin/bash
# Bundled sample forms (samples/*.xlsx): regenerating them from samples/src
# must give byte-identical files, and the committed workbooks must hold the
# seeds' figures, inconsistencies included.
#
# Usage (CTest, from the repo root): bash tests/cli/samples.sh PATH_TO_EXACALC
# The exacalc binary is not used yet.  Exit 77 (skip) without python3-openpyxl.
set -u

root=${XC_SRC:-$(pwd)}
cd "$root" || exit 1
py=/usr/bin/python3
if [ ! -x "$py" ] || ! "$py" -c 'import openpyxl' 2>/dev/null; then
  echo "skip: /usr/bin/python3 with openpyxl not available"
  exit 77
fi

fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Regenerate and compare byte for byte, both ways.
if ! "$py" samples/gen_samples.py --out "$tmp" >"$tmp/gen.log" 2>&1; then
  echo "FAIL: gen_samples.py failed"
  cat "$tmp/gen.log"
  exit 1
fi
n=0
for f in "$tmp"/*.xlsx; do
  b=$(basename "$f")
  n=$((n + 1))
  if [ ! -f "samples/$b" ]; then
    echo "FAIL: generated $b is not committed under samples/"
    fail=1
  elif ! cmp -s "$f" "samples/$b"; then
    echo "FAIL: samples/$b differs from a fresh regeneration"
    fail=1
  fi
done
for f in samples/*.xlsx; do
  [ -f "$tmp/$(basename "$f")" ] || { echo "FAIL: $f is not generated"; fail=1; }
done
[ "$n" -eq 10 ] || { echo "FAIL: expected 10 workbooks, generated $n"; fail=1; }

# 2. Regenerating twice gives identical bytes (fixed timestamps, zip order).
mkdir "$tmp/again"
"$py" samples/gen_samples.py --out "$tmp/again" >/dev/null 2>&1
for f in "$tmp"/*.xlsx; do
  cmp -s "$f" "$tmp/again/$(basename "$f")" ||
    { echo "FAIL: $(basename "$f") not reproducible"; fail=1; }
done

# 3. Facts read back from the committed files.
"$py" - <<'EOF' || fail=1
import sys
import openpyxl

bad = []


def check(cond, msg):
    if not cond:
        bad.append(msg)


def load(name):
    return openpyxl.load_workbook("samples/" + name)


def find(ws, text, col=None):
    """Row of the first cell whose value is exactly `text`."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == text and (col is None or c.column == col):
                return c.row
    raise KeyError("%s: no cell %r" % (ws.title, text))


def header_col(ws, text, row):
    for c in ws[row]:
        if c.value == text:
            return c.column
    raise KeyError("%s: no header %r in row %d" % (ws.title, text, row))


# Sheet names per workbook.
expect = {
    "seed000_targets": ["目标表%d" % i for i in range(1, 3)],
    "seed001_targets": ["目标表%d" % i for i in range(1, 20)],
    "seed002_targets": ["目标表%d" % i for i in range(1, 4)],
    "seed003_targets": ["附件%d" % i for i in range(1, 7)],
    "seed004_selfeval": ["表%d" % i for i in range(1, 14)],
}
for book, sheets in expect.items():
    for kind in ("values", "formulas"):
        wb = load("%s_%s.xlsx" % (book, kind))
        check(wb.sheetnames == sheets, "%s_%s sheets %r" % (book, kind, wb.sheetnames))
        check(wb.properties.created.year == 2024 and wb.properties.modified.year == 2024,
              "%s_%s: document dates not fixed" % (book, kind))

v = load("seed004_selfeval_values.xlsx")
f = load("seed004_selfeval_formulas.xlsx")

# 表11: stated 总分 98.1 (Σ stated 得分 is 88.1), 分值 100.
ws = v["表11"]
r = find(ws, "总分")
check(ws.cell(r, 7).value == 100 and ws.cell(r, 8).value == 98.1,
      "表11 总分 row: %r %r" % (ws.cell(r, 7).value, ws.cell(r, 8).value))
# 表11 fund 执行率 printed "94%": a number formatted as a percentage.
r = find(ws, "年度资金总额:", 3)
cell = ws.cell(r, 8)
check(cell.value == 0.94 and cell.number_format == "0%", "表11 执行率 %r %r" % (cell.value, cell.number_format))
check(ws.cell(r, 9).value == 9.4, "表11 fund 得分")

# 表13: 年度资金总额 row blank in the amount columns; 财政拨款 394.8.
ws = v["表13"]
r = find(ws, "年度资金总额:", 3)
hdr = r - 1
for name in ("年初预 算数", "全年预算 数", "全年执行数"):
    c = header_col(ws, name, hdr)
    check(ws.cell(r, c).value is None, "表13 年度资金总额 %s not blank" % name)
    check(ws.cell(r + 1, c).value == 394.8, "表13 财政拨款 %s" % name)
check(ws.cell(r, header_col(ws, "执行率", hdr)).value == 100, "表13 执行率 printed 100")

# 表6: 财政拨款 全年执行数 blank while the total says 370.
ws = v["表6"]
r = find(ws, "年度资金总额:", 3)
c = header_col(ws, "全年执行数", r - 1)
check(ws.cell(r, c).value == 370 and ws.cell(r + 1, c).value is None, "表6 全年执行数")

# 表12: cost indicator met but scored 14.9; 执行率 printed 94 (points).
ws = v["表12"]
r = find(ws, "企业年度研发费用补助", 4)
check(ws.cell(r, 7).value == 15 and ws.cell(r, 8).value == 14.9, "表12 cost score")
r = find(ws, "年度资金总额:", 3)
check(ws.cell(r, 8).value == 94, "表12 执行率")

# 表1: "56%" is 0.56 formatted as a percentage; "≥60%" stays text.
ws = v["表1"]
r = find(ws, "指标1:项目实施进度(%)", 3)
check(ws.cell(r, 5).value == "≥60%", "表1 target text")
check(ws.cell(r, 6).value == 0.56 and ws.cell(r, 6).number_format == "0%", "表1 actual 56%")
check(ws.cell(r, 8).value == 9.3, "表1 score 9.3")
# 产出指标 group is one merged cell over five rows.
merged = {str(m) for m in ws.merged_cells.ranges}
check("A%d:A%d" % (r - 1, r + 3) in merged, "表1 产出指标 merge: %r" % sorted(merged))

# Formula version: derived figures are formulas.
ws = f["表1"]
r = find(ws, "指标1:项目实施进度(%)", 3)
check(str(ws.cell(r, 8).value).startswith("=IF("), "表1 score formula")
r = find(ws, "总分")
check(str(ws.cell(r, 8).value).startswith("=SUM("), "表1 总分 formula")
r = find(ws, "年度资金总额:", 3)
check(str(ws.cell(r, 9).value).startswith("=ROUND(MIN("), "表1 fund score formula")
check(str(ws.cell(r, 5).value).startswith("=SUM("), "表1 fund total formula")

# Targets: seed 000 first table, 19.51 and the cost check.
v0 = load("seed000_targets_values.xlsx")["目标表1"]
r = find(v0, "项目总额")
check(v0.cell(r, 3).value == 19.51 and v0.cell(r, 5).value == 19.51, "seed000 项目总额")
f0 = load("seed000_targets_formulas.xlsx")["目标表1"]
r = find(f0, "成本校验")
check(str(f0.cell(r, 4).value).startswith("=IF("), "seed000 cost check formula")

if bad:
    for b in bad:
        print("FAIL:", b)
    sys.exit(1)
print("facts ok")
EOF

if [ "$fail" -ne 0 ]; then
  echo "samples: FAILED"
  exit 1
fi
echo "samples: ok ($n workbooks)"
