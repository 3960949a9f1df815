#!/usr/bin/python3
"""Generate the bundled sample forms (samples/*.xlsx) from samples/src/*.txt.

Each source file describes the tables of one seed document (see README.md for
the format).  For every source two workbooks are written:

  <book>_values.xlsx    the figures as departments fill them in
  <book>_formulas.xlsx  the same layout, every derivable figure a formula

Output is deterministic: fixed document properties and a zip rewritten with a
fixed timestamp, order and attributes, so regenerating gives identical bytes.

Usage: /usr/bin/python3 samples/gen_samples.py [--out DIR] [SOURCE ...]
"""

import argparse
import datetime
import io
import os
import re
import sys
import zipfile
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = datetime.datetime(2024, 1, 1, 0, 0, 0)
FORMS = ("target", "target2", "target3", "selfeval", "central")

# ---------------------------------------------------------------- parsing


class SourceError(Exception):
    pass


class Table:
    """One table of a seed: header fields, rows and annotations."""

    def __init__(self, sheet, form, lineno):
        if form not in FORMS:
            raise SourceError("line %d: unknown form %r" % (lineno, form))
        self.sheet = sheet
        self.form = form
        self.lineno = lineno
        self.label = None
        self.title = None
        self.subtitle = None
        self.unit = None
        self.fields = {}  # header field -> raw text
        self.labels = {}  # label overrides (printed spelling)
        self.fundhdr = None
        self.indhdr = None
        self.perfcol = None  # selfeval/central: None, "header" or "data"
        self.fund = []  # [label, cells...]
        self.mgmt = []  # central: [item, 情况说明, 问题]
        self.inds = []  # (cells, annotation dict or None, lineno)
        self.total = None  # [分值, 得分]
        self.notes = []


class Book:
    def __init__(self, path):
        self.path = path
        self.name = None
        self.seed = None
        self.tables = []


ANN_RE = re.compile(r"\s*\{([^{}]*)\}\s*$")


def unescape(s):
    return s.replace("\\n", "\n")


def split_cells(s):
    return [unescape(c.strip()) for c in s.split("|")]


def parse_ann(text, lineno):
    """Parse '{q A 14}', '{cost 0.5 万元 x A}', '{ge t=60% a=56%}'."""
    words = text.split()
    if not words:
        raise SourceError("line %d: empty annotation" % lineno)
    kind = words[0]
    if kind == "q" and len(words) == 3:
        return {"kind": "q", "name": words[1], "num": words[2]}
    if kind == "cost" and len(words) in (3, 5) and words[2] in ("元", "万元"):
        ann = {"kind": "cost", "num": words[1], "unit": words[2], "qty": None}
        if len(words) == 5:
            if words[3] != "x":
                raise SourceError("line %d: expected 'x NAME'" % lineno)
            ann["qty"] = words[4]
        return ann
    if kind in ("ge", "le"):
        ann = {"kind": kind, "t": None, "a": None}
        for w in words[1:]:
            k, _, v = w.partition("=")
            if k not in ("t", "a") or not v:
                raise SourceError("line %d: bad score annotation %r" % (lineno, w))
            ann[k] = v
        return ann
    raise SourceError("line %d: bad annotation {%s}" % (lineno, text))


def parse_source(path):
    book = Book(path)
    cur = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == "book":
            book.name = rest
            continue
        if word == "seed":
            book.seed = rest
            continue
        if word == "table":
            parts = rest.split()
            if len(parts) != 2:
                raise SourceError("%s:%d: table NAME FORM" % (path, lineno))
            cur = Table(parts[0], parts[1], lineno)
            book.tables.append(cur)
            continue
        if cur is None:
            raise SourceError("%s:%d: text outside a table" % (path, lineno))
        if word in ("label", "title", "subtitle", "unit"):
            setattr(cur, word, unescape(rest))
        elif word == "lbl":
            key, _, val = rest.partition("=")
            cur.labels[key.strip()] = unescape(val.strip())
        elif word == "fundhdr":
            cur.fundhdr = split_cells(rest)
        elif word == "indhdr":
            cur.indhdr = split_cells(rest)
        elif word == "perfcol":
            if rest not in ("header", "data"):
                raise SourceError("%s:%d: perfcol header|data" % (path, lineno))
            cur.perfcol = rest
        elif word == "fund":
            cur.fund.append(split_cells(rest))
        elif word == "mgmt":
            cur.mgmt.append(split_cells(rest))
        elif word == "ind":
            ann = None
            m = ANN_RE.search(rest)
            if m:
                ann = parse_ann(m.group(1), lineno)
                rest = rest[: m.start()]
            cur.inds.append((split_cells(rest), ann, lineno))
        elif word == "total":
            cur.total = split_cells(rest)
        elif word == "note":
            cur.notes.append(unescape(rest))
        elif word == "end":
            cur = None
        elif ":" in line or "：" in line:
            m = re.match(r"^([^:：]+)[:：]\s?(.*)$", line)
            cur.fields[m.group(1).strip()] = unescape(m.group(2))
        else:
            raise SourceError("%s:%d: cannot read %r" % (path, lineno, line))
    if not book.name:
        raise SourceError("%s: no 'book' line" % path)
    return book


# ------------------------------------------------------------- cell values

NUM_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
PCT_RE = re.compile(r"^([+-]?\d+(\.\d+)?)%$")


def typed(text):
    """Return (value, number_format) for a source cell text.

    Plain decimals become numbers, 'NN%' becomes the fraction formatted as a
    percentage, a leading apostrophe forces text, anything else is text.
    """
    if text is None or text == "":
        return None, None
    if text.startswith("'"):
        return text[1:], "@"
    if NUM_RE.match(text):
        d = Decimal(text)
        return (int(d) if d == d.to_integral_value() and "." not in text else float(d)), None
    m = PCT_RE.match(text)
    if m:
        d = Decimal(m.group(1)) / 100
        places = len(m.group(2)) - 1 if m.group(2) else 0
        fmt = "0%" if places == 0 else "0." + "0" * places + "%"
        v = float(d)
        return (int(v) if v == int(v) else v), fmt
    return text, None


def is_numeric(text):
    v, _ = typed(text)
    return isinstance(v, (int, float))


def num_literal(text):
    """A number or percentage annotation as a formula literal."""
    m = PCT_RE.match(text)
    if m:
        return str(Decimal(m.group(1)) / 100)
    if NUM_RE.match(text):
        return str(Decimal(text))
    raise SourceError("not a number: %r" % text)


# ------------------------------------------------------------------ styles

FONT = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)
TITLE = Font(name="宋体", size=16, bold=True)
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def text_width(s):
    """Display width in Excel character units (CJK counts double)."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)


class Sheet:
    """Writes one table: cells, merges, borders, and row height estimates."""

    def __init__(self, ws, widths, formulas):
        self.ws = ws
        self.widths = widths
        self.formulas = formulas
        self.row = 0
        self.boxed = []  # (r1, c1, r2, c2) ranges that get borders
        self.cells_text = {}  # (r, c) -> (text, width in chars) for heights
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w

    def ref(self, r, c):
        return "%s%d" % (get_column_letter(c), r)

    def put(self, r, c, value, fmt=None, font=FONT, align=CENTER, span=1):
        cell = self.ws.cell(row=r, column=c)
        cell.value = value
        cell.font = font
        cell.alignment = align
        if fmt:
            cell.number_format = fmt
        if isinstance(value, str) and not value.startswith("="):
            w = sum(self.widths[c - 1 : c - 1 + span]) if c <= len(self.widths) else 12
            self.cells_text[(r, c)] = (value, w)
        return cell

    def put_text(self, r, c, text, font=FONT, align=CENTER, span=1):
        """Put a source cell text, typed (numbers stay numbers)."""
        v, fmt = typed(text)
        if isinstance(v, str) and len(v) > 12 and align is CENTER:
            align = LEFT
        return self.put(r, c, v, fmt, font, align, span)

    def merge(self, r1, c1, r2, c2):
        if (r1, c1) != (r2, c2):
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def box(self, r1, c1, r2, c2):
        self.boxed.append((r1, c1, r2, c2))

    def finish(self, default_height=15):
        for r1, c1, r2, c2 in self.boxed:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.ws.cell(row=r, column=c).border = BORDER
        # Merged cells span several columns: estimate lines per row.
        spans = {}
        for mr in self.ws.merged_cells.ranges:
            spans[(mr.min_row, mr.min_col)] = (mr.max_row - mr.min_row + 1,
                                               sum(self.widths[mr.min_col - 1 : mr.max_col]))
        need = {}
        for (r, c), (text, w) in self.cells_text.items():
            rows, width = spans.get((r, c), (1, w))
            lines = 0
            for part in text.split("\n"):
                lines += max(1, -(-text_width(part) // max(1, int(width) - 1)))
            per_row = -(-lines // rows)
            need[r] = max(need.get(r, 1), per_row)
        for r, lines in sorted(need.items()):
            if lines > 1:
                self.ws.row_dimensions[r].height = min(409, 13.5 * lines + 2)


def merge_groups(sh, first_row, inds, col_map):
    """Merge '^' continuation cells in the given columns with the cell above.

    col_map: list of (source index, sheet column).
    """
    for idx, col in col_map:
        start = None
        for i, (cells, _, _) in enumerate(inds):
            r = first_row + i
            v = cells[idx] if idx < len(cells) else ""
            if v == "^":
                if start is None:
                    start = r - 1
            else:
                if start is not None:
                    sh.merge(start, col, r - 1, col)
                start = None
        if start is not None:
            sh.merge(start, col, first_row + len(inds) - 1, col)


def cellv(cells, i):
    v = cells[i] if i < len(cells) else ""
    return "" if v == "^" else v


def check_width(cells, n, lineno, what):
    if len(cells) != n:
        raise SourceError("line %d: %s needs %d cells, has %d" % (lineno, what, n, len(cells)))


def lbl(t, key, default=None):
    return t.labels.get(key, default if default is not None else key)


def head_rows(sh, t, ncols):
    """Label line, title, subtitle and unit rows; returns the next row."""
    r = 1
    if t.label:
        sh.put(r, 1, t.label, font=BOLD, align=Alignment(horizontal="left", vertical="center"))
        sh.merge(r, 1, r, ncols)
        r += 1
    sh.put(r, 1, t.title, font=TITLE)
    sh.merge(r, 1, r, ncols)
    sh.ws.row_dimensions[r].height = 27
    r += 1
    if t.subtitle:
        sh.put(r, 1, t.subtitle)
        sh.merge(r, 1, r, ncols)
        r += 1
    if t.unit:
        sh.put(r, ncols, t.unit, align=RIGHT)
        r += 1
    return r


# ------------------------------------------------------------ target forms


def cost_check(sh, t, first, inds, cols, budget_ref, budget_label, r_after):
    """Formula version of a target table: numeric helper columns next to the
    indicator rows and a check block comparing Σ cost lines with the budget.

    cols: (value column, quantity column, 万元 column).
    Returns the next free row."""
    hv, hq, hw = cols
    hdr = first - 1
    for c, txt in ((hv, "核算:数值"), (hq, "数量"), (hw, "折合万元")):
        sh.put(hdr, c, txt, font=BOLD)
    qrow = {}
    for i, (cells, ann, lineno) in enumerate(inds):
        if ann and ann["kind"] == "q":
            if ann["name"] in qrow:
                raise SourceError("line %d: quantity %s defined twice" % (lineno, ann["name"]))
            qrow[ann["name"]] = first + i
    cost_rows = []
    for i, (cells, ann, lineno) in enumerate(inds):
        r = first + i
        if not ann:
            continue
        if ann["kind"] == "q":
            sh.put(r, hv, typed(ann["num"])[0])
        elif ann["kind"] == "cost":
            sh.put(r, hv, typed(ann["num"])[0])
            if ann["qty"]:
                if ann["qty"] not in qrow:
                    raise SourceError("line %d: unknown quantity %s" % (lineno, ann["qty"]))
                sh.put(r, hq, "=" + sh.ref(qrow[ann["qty"]], hv))
            else:
                sh.put(r, hq, 1)
            div = "/10000" if ann["unit"] == "元" else ""
            sh.put(r, hw, "=%s*%s%s" % (sh.ref(r, hv), sh.ref(r, hq), div))
            cost_rows.append(r)
        else:
            raise SourceError("line %d: score annotation in a target table" % lineno)
    sh.box(hdr, hv, first + len(inds) - 1, hw)
    r = r_after + 1
    rows = [
        ("核对（公式版附加）", None),
        ("成本指标折合合计（万元）",
         "=" + "+".join(sh.ref(x, hw) for x in cost_rows) if cost_rows else "=0"),
        (budget_label, "=" + budget_ref),
        ("差额（合计−%s）" % budget_label, "=%s-%s" % (sh.ref(r + 1, 4), sh.ref(r + 2, 4))),
        ("成本校验", '=IF(ROUND(%s,6)=0,"平衡","不平衡")' % sh.ref(r + 3, 4)),
    ]
    for k, (label, formula) in enumerate(rows):
        rr = r + k
        sh.put(rr, 1, label, font=BOLD if formula is None else FONT, align=LEFT)
        sh.merge(rr, 1, rr, 3)
        if formula is not None:
            sh.put(rr, 4, formula)
            sh.box(rr, 1, rr, 4)
    return r + len(rows)


def write_target(sh, t):
    """Seeds 000/001: six-column 目标表 with 本级/转移 funding blocks."""
    f = t.fields
    fx = sh.formulas
    r = head_rows(sh, t, 6)
    top = r
    sh.put(r, 1, lbl(t, "项目名称"))
    sh.merge(r, 1, r, 2)
    sh.put_text(r, 3, f.get("项目名称", ""), span=4)
    sh.merge(r, 3, r, 6)
    r += 1
    for a, b in (("主管部门", "实施单位"), ("项目属性", "项目期")):
        sh.put(r, 1, lbl(t, a))
        sh.merge(r, 1, r, 2)
        sh.put_text(r, 3, f.get(a, ""))
        sh.put(r, 4, lbl(t, b))
        sh.put_text(r, 5, f.get(b, ""), span=2)
        sh.merge(r, 5, r, 6)
        r += 1
    r_total = r
    sh.put(r, 1, lbl(t, "项目总额"))
    sh.merge(r, 1, r, 2)
    sh.put_text(r, 3, f.get("项目总额", ""))
    sh.put(r, 4, lbl(t, "年度资金总额", "其中：年度资金总额"))
    sh.put_text(r, 5, f.get("年度资金总额", ""), span=2)
    sh.merge(r, 5, r, 6)
    r += 1
    fb = r
    sh.put(fb, 1, lbl(t, "本级资金", "其中：本级资金"))
    sh.merge(fb, 1, fb + 3, 1)
    sh.put(fb, 4, lbl(t, "转移资金", "其中：转移市县（区）资金"))
    sh.merge(fb, 4, fb + 3, 4)
    left = (("资金总额", "本级.资金总额"), ("其中：财政拨款", "本级.财政拨款"),
            ("其他资金", "本级.其他资金"), ("结余结转资金", "本级.结余结转资金"))
    right = (("资金总额", "转移.资金总额"), ("其中：中央资金", "转移.中央资金"),
             ("自治区资金", "转移.自治区资金"), (None, None))
    for k in range(4):
        sh.put(fb + k, 2, lbl(t, left[k][1], left[k][0]))
        sh.put_text(fb + k, 3, f.get(left[k][1], ""))
        if right[k][0]:
            sh.put(fb + k, 5, lbl(t, right[k][1], right[k][0]))
            sh.put_text(fb + k, 6, f.get(right[k][1], ""))
        else:
            sh.put(fb + k, 5, None)
            sh.put(fb + k, 6, None)
    if fx:
        sh.put(fb, 3, "=SUM(%s:%s)" % (sh.ref(fb + 1, 3), sh.ref(fb + 3, 3)))
        sh.put(fb, 6, "=SUM(%s:%s)" % (sh.ref(fb + 1, 6), sh.ref(fb + 2, 6)))
        sh.put(r_total, 5, "=%s+%s" % (sh.ref(fb, 3), sh.ref(fb, 6)))
    r = fb + 4
    sh.put(r, 1, lbl(t, "年度总体绩效目标"))
    sh.put(r, 2, f.get("目标", ""), align=LEFT, span=5)
    sh.merge(r, 2, r, 6)
    r += 1
    hdr = (lbl(t, "一级指标"), lbl(t, "二级指标"), lbl(t, "三级指标"), lbl(t, "绩效值"))
    for c, txt in zip((1, 2, 3, 5), hdr):
        sh.put(r, c, txt)
    sh.merge(r, 3, r, 4)
    sh.merge(r, 5, r, 6)
    r += 1
    first = r
    for cells, ann, lineno in t.inds:
        check_width(cells, 4, lineno, "target ind")
        sh.put_text(r, 1, cellv(cells, 0))
        sh.put_text(r, 2, cellv(cells, 1))
        sh.put_text(r, 3, cellv(cells, 2), span=2)
        sh.merge(r, 3, r, 4)
        sh.put_text(r, 5, cellv(cells, 3), span=2)
        sh.merge(r, 5, r, 6)
        r += 1
    merge_groups(sh, first, t.inds, [(0, 1), (1, 2)])
    sh.box(top, 1, r - 1, 6)
    r = notes(sh, t, r, 6)
    if fx:
        cost_check(sh, t, first, t.inds, (8, 9, 10), sh.ref(r_total, 5), "年度资金总额", r)
        rr = sh.ws.max_row + 1
        sh.put(rr, 1, "项目总额≥年度资金总额", align=LEFT)
        sh.merge(rr, 1, rr, 3)
        sh.put(rr, 4, '=IF(%s>=%s,"是","否")' % (sh.ref(r_total, 3), sh.ref(r_total, 5)))
        sh.box(rr, 1, rr, 4)


def write_target2(sh, t):
    """Seed 002 (石嘴山): four columns, 项目年度金额 and no funding block."""
    f = t.fields
    r = head_rows(sh, t, 4)
    top = r
    sh.put(r, 1, lbl(t, "项目名称"), font=BOLD)
    sh.put_text(r, 2, f.get("项目名称", ""), span=3)
    sh.merge(r, 2, r, 4)
    r += 1
    r_amount = None
    for a, b in (("主管部门", "实施单位"), ("项目属性", "项目期限"), ("项目主管处室", "项目年度金额")):
        sh.put(r, 1, lbl(t, a), font=BOLD)
        sh.put_text(r, 2, f.get(a, ""))
        sh.put(r, 3, lbl(t, b), font=BOLD)
        sh.put_text(r, 4, f.get(b, ""))
        if b == "项目年度金额":
            r_amount = r
        r += 1
    sh.put(r, 1, lbl(t, "年度总体绩效目标"), font=BOLD)
    sh.put(r, 2, f.get("目标", ""), align=LEFT, span=3)
    sh.merge(r, 2, r, 4)
    r += 1
    for c, txt in enumerate(("一级指标", "二级指标", "三级指标", "绩效值"), 1):
        sh.put(r, c, lbl(t, txt), font=BOLD)
    r += 1
    first = r
    for cells, ann, lineno in t.inds:
        check_width(cells, 4, lineno, "target2 ind")
        for c in range(4):
            sh.put_text(r, c + 1, cellv(cells, c))
        r += 1
    merge_groups(sh, first, t.inds, [(0, 1), (1, 2)])
    sh.box(top, 1, r - 1, 4)
    r = notes(sh, t, r, 4)
    if sh.formulas:
        cost_check(sh, t, first, t.inds, (6, 7, 8), sh.ref(r_amount, 4), "项目年度金额", r)


def write_target3(sh, t):
    """Seed 003 (2019 工信厅): four columns, 项目资金 block of three rows."""
    f = t.fields
    r = head_rows(sh, t, 4)
    top = r
    for a, b in (("项目名称", "实施单位"), ("主管部门", "项目期")):
        sh.put(r, 1, lbl(t, a))
        sh.put_text(r, 2, f.get(a, ""))
        sh.put(r, 3, lbl(t, b))
        sh.put_text(r, 4, f.get(b, ""))
        r += 1
    fb = r
    sh.put(fb, 1, lbl(t, "项目资金", "项目资金（万元）"))
    sh.merge(fb, 1, fb + 2, 1)
    for k, (key, label) in enumerate((("项目总金额", "项目总金额"), ("财政拨款", "其中：财政拨款"),
                                       ("其他资金", "其他资金"))):
        sh.put(fb + k, 2, lbl(t, key, label))
        sh.put_text(fb + k, 3, f.get(key, ""))
        sh.merge(fb + k, 3, fb + k, 4)
    if sh.formulas:
        sh.put(fb, 3, "=SUM(%s:%s)" % (sh.ref(fb + 1, 3), sh.ref(fb + 2, 3)))
    r = fb + 3
    sh.put(r, 1, lbl(t, "绩效目标"))
    sh.put(r, 2, f.get("目标", ""), align=LEFT, span=3)
    sh.merge(r, 2, r, 4)
    r += 1
    for c, txt in enumerate(("一级指标", "二级指标", "三级指标", "指标值"), 1):
        sh.put(r, c, lbl(t, txt))
    r += 1
    first = r
    for cells, ann, lineno in t.inds:
        check_width(cells, 4, lineno, "target3 ind")
        for c in range(4):
            sh.put_text(r, c + 1, cellv(cells, c))
        r += 1
    merge_groups(sh, first, t.inds, [(0, 1), (1, 2)])
    sh.box(top, 1, r - 1, 4)
    r = notes(sh, t, r, 4)
    if sh.formulas:
        cost_check(sh, t, first, t.inds, (6, 7, 8), sh.ref(fb, 3), "项目总金额", r)


def notes(sh, t, r, ncols):
    for n in t.notes:
        sh.put(r, 1, n, align=LEFT, span=ncols)
        sh.merge(r, 1, r, ncols)
        r += 1
    return r


# --------------------------------------------------------- self-evaluation

FUND_HDR = ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]


def score_formula(sh, r, cells, ann, lineno, tcol, acol, pcol, helper):
    """得分 formula for a quantitative indicator, or None.

    Targets/actuals that are numbers in the sheet are referenced directly;
    otherwise the annotation's number goes into a helper column."""
    refs = []
    for key, col, hcol in (("t", tcol, helper[0]), ("a", acol, helper[1])):
        if ann[key] is not None:
            sh.put(r, hcol, float(Decimal(num_literal(ann[key]))),
                   "0%" if ann[key].endswith("%") else None)
            refs.append(sh.ref(r, hcol))
        else:
            if not is_numeric(cells[col]):
                raise SourceError("line %d: %s is not numeric; give %s=" % (lineno, cells[col], key))
            refs.append(sh.ref(r, col + 2))
    t, a = refs
    p = sh.ref(r, pcol)
    if ann["kind"] == "ge":
        return "=IF(%s>=%s,%s,ROUND(%s/%s*%s,1))" % (a, t, p, a, t, p)
    return "=IF(%s<=%s,%s,ROUND(%s/%s*%s,1))" % (a, t, p, t, a, p)


def write_selfeval(sh, t):
    """Seed 004 自评表: nine columns A–I.

    Fund block: A:B label, C row label, D 年初预算数, E 全年预算数,
    F 全年执行数, G 分值, H 执行率, I 得分.  Indicators: A 绩效指标 (or
    一级 when there is no 绩效指标 column), ... G 分值, H 得分, I 偏差."""
    f = t.fields
    fx = sh.formulas
    r = head_rows(sh, t, 9)
    top = r
    sh.put(r, 1, lbl(t, "项目名称"))
    sh.merge(r, 1, r, 2)
    sh.put_text(r, 3, f.get("项目名称", ""), span=7)
    sh.merge(r, 3, r, 9)
    r += 1
    sh.put(r, 1, lbl(t, "主管部门"))
    sh.merge(r, 1, r, 2)
    sh.put_text(r, 3, f.get("主管部门", ""), span=3)
    sh.merge(r, 3, r, 5)
    sh.put(r, 6, lbl(t, "实施单位"))
    sh.put_text(r, 7, f.get("实施单位", ""), span=3)
    sh.merge(r, 7, r, 9)
    r += 1
    # fund block
    fh = t.fundhdr or FUND_HDR
    check_width(fh, 7, t.lineno, "fundhdr")
    fb = r
    sh.put(fb, 1, fh[0])
    sh.merge(fb, 1, fb + len(t.fund), 2)
    sh.put(fb, 3, None)
    for k in range(6):
        sh.put(fb, 4 + k, fh[1 + k])
    if len(t.fund) != 4:
        raise SourceError("table %s: 自评表 needs 4 fund rows" % t.sheet)
    for k, cells in enumerate(t.fund):
        check_width(cells, 7, t.lineno, "fund row")
        rr = fb + 1 + k
        sh.put(rr, 3, cells[0])
        for c in range(6):
            sh.put_text(rr, 4 + c, cells[1 + c])
    r_fund = fb + 1
    pct_rate = "%" in t.fund[0][5]
    if fx:
        for c in (4, 5, 6):
            sh.put(r_fund, c, "=SUM(%s:%s)" % (sh.ref(r_fund + 1, c), sh.ref(r_fund + 3, c)))
        for k, cells in enumerate(t.fund):
            rr = fb + 1 + k
            if is_numeric(cells[5]):
                if pct_rate:
                    sh.put(rr, 8, "=%s/%s" % (sh.ref(rr, 6), sh.ref(rr, 5)), "0%")
                else:
                    sh.put(rr, 8, "=%s/%s*100" % (sh.ref(rr, 6), sh.ref(rr, 5)), "0")
        rate = sh.ref(r_fund, 8) + ("" if pct_rate else "/100")
        sh.put(r_fund, 9, "=ROUND(MIN(%s,1)*%s,1)" % (rate, sh.ref(r_fund, 7)))
    r = fb + 1 + len(t.fund)
    # overall goal
    sh.put(r, 1, lbl(t, "年度总体目标"))
    sh.merge(r, 1, r + 1, 1)
    sh.put(r, 2, lbl(t, "预期目标"))
    sh.merge(r, 2, r, 5)
    sh.put(r, 6, lbl(t, "实际完成情况"))
    sh.merge(r, 6, r, 9)
    sh.put(r + 1, 2, f.get("预期目标", ""), align=LEFT, span=4)
    sh.merge(r + 1, 2, r + 1, 5)
    sh.put(r + 1, 6, f.get("实际完成情况", ""), align=LEFT, span=4)
    sh.merge(r + 1, 6, r + 1, 9)
    r += 2
    # indicators
    perf = t.perfcol
    if perf:
        hdr = t.indhdr or ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值",
                           "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
        check_width(hdr, 9, t.lineno, "indhdr")
        for c in range(9):
            sh.put(r, 1 + c, hdr[c] if hdr[c] else None)
        colmap = [(0, 2), (1, 3), (2, 4)]
    else:
        hdr = t.indhdr or ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                           "分值", "得分", "偏差原因分析及改进措施"]
        check_width(hdr, 8, t.lineno, "indhdr")
        for c, txt in zip((1, 2, 3, 5, 6, 7, 8, 9), hdr):
            sh.put(r, c, txt)
        sh.merge(r, 3, r, 4)
        colmap = [(0, 1), (1, 2), (2, 3)]
    r_hdr = r
    r += 1
    first = r
    helper = (11, 12)
    used_helper = False
    for cells, ann, lineno in t.inds:
        check_width(cells, 8, lineno, "selfeval ind")
        for idx, col in colmap:
            sh.put_text(r, col, cellv(cells, idx))
        if not perf:
            sh.merge(r, 3, r, 4)
        for k in range(3, 8):
            sh.put_text(r, 2 + k, cells[k], align=LEFT if k == 7 else CENTER)
        if fx and ann:
            if ann["kind"] not in ("ge", "le"):
                raise SourceError("line %d: %s annotation in a 自评表" % (lineno, ann["kind"]))
            sh.put(r, 8, score_formula(sh, r, cells, ann, lineno, 3, 4, 7, helper))
            used_helper = used_helper or ann["t"] is not None or ann["a"] is not None
        r += 1
    last = r - 1
    merge_groups(sh, first, t.inds, [(0, colmap[0][1]), (1, colmap[1][1])])
    if perf == "header":
        sh.merge(r_hdr, 1, last, 1)
        sh.put(r_hdr, 1, hdr[0])
    elif perf == "data":
        sh.put(first, 1, "绩效指标")
        sh.merge(first, 1, last, 1)
    # total
    if t.total:
        check_width(t.total, 2, t.lineno, "total")
        sh.put(r, 1, lbl(t, "总分"))
        sh.merge(r, 1, r, 6)
        if fx:
            sh.put(r, 7, "=SUM(%s,%s:%s)" % (sh.ref(r_fund, 7), sh.ref(first, 7), sh.ref(last, 7)))
            sh.put(r, 8, "=SUM(%s,%s:%s)" % (sh.ref(r_fund, 9), sh.ref(first, 8), sh.ref(last, 8)))
        else:
            sh.put_text(r, 7, t.total[0])
            sh.put_text(r, 8, t.total[1])
        sh.put(r, 9, None)
        r_tot = r
        r += 1
    sh.box(top, 1, r - 1, 9)
    r = notes(sh, t, r, 9)
    if fx:
        if used_helper:
            sh.put(r_hdr, helper[0], "核算:目标值", font=BOLD)
            sh.put(r_hdr, helper[1], "实际值", font=BOLD)
            sh.box(r_hdr, helper[0], last, helper[1])
        r += 1
        sh.put(r, 1, "核对（公式版附加）", font=BOLD, align=LEFT)
        sh.merge(r, 1, r, 3)
        r += 1
        if t.total:
            sh.put(r, 1, "总分分值=100", align=LEFT)
            sh.merge(r, 1, r, 3)
            sh.put(r, 4, '=IF(%s=100,"是","否")' % sh.ref(r_tot, 7))
            sh.box(r, 1, r, 4)
            r += 1
        # section weights declared in the 一级指标 labels, e.g. 产出指标 (50分)
        i = 0
        while i < len(t.inds):
            name = t.inds[i][0][0]
            j = i + 1
            while j < len(t.inds) and t.inds[j][0][0] == "^":
                j += 1
            m = re.search(r"[(（]\s*(\d+)\s*分\s*[)）]", name)
            if m:
                rng = "%s:%s" % (sh.ref(first + i, 7), sh.ref(first + j - 1, 7))
                sh.put(r, 1, "%s 分值小计" % name.replace("\n", ""), align=LEFT)
                sh.merge(r, 1, r, 3)
                sh.put(r, 4, "=SUM(%s)" % rng)
                sh.put(r, 5, '=IF(%s=%s,"是","否")' % (sh.ref(r, 4), m.group(1)))
                sh.box(r, 1, r, 5)
                r += 1
            i = j


# ----------------------------------------------------------------- central


def write_central(sh, t):
    """Seed 004 表2, 中央转移支付区域（项目）绩效目标自评表: seven columns."""
    f = t.fields
    fx = sh.formulas
    r = head_rows(sh, t, 7)
    top = r
    for key in ("转移支付（项目）名称", "中央主管部门"):
        sh.put(r, 1, lbl(t, key))
        sh.merge(r, 1, r, 2)
        sh.put_text(r, 3, f.get(key, ""), span=5)
        sh.merge(r, 3, r, 7)
        r += 1
    sh.put(r, 1, lbl(t, "地方主管部门"))
    sh.merge(r, 1, r, 2)
    sh.put_text(r, 3, f.get("地方主管部门", ""), span=2)
    sh.merge(r, 3, r, 4)
    sh.put(r, 5, lbl(t, "资金使用单位"))
    sh.put_text(r, 6, f.get("资金使用单位", ""), span=2)
    sh.merge(r, 6, r, 7)
    r += 1
    fb = r
    sh.put(fb, 1, lbl(t, "资金投入情况", "资金投入情况（万元）"))
    sh.merge(fb, 1, fb + len(t.fund), 2)
    sh.put(fb, 3, None)
    for c, txt in ((4, "全年预算数（A）"), (5, "全年执行数（B）"), (6, "预算执行率（B/A×100%）")):
        sh.put(fb, c, lbl(t, txt))
    sh.merge(fb, 6, fb, 7)
    for k, cells in enumerate(t.fund):
        check_width(cells, 4, t.lineno, "central fund row")
        rr = fb + 1 + k
        sh.put(rr, 3, cells[0])
        sh.put_text(rr, 4, cells[1])
        sh.put_text(rr, 5, cells[2])
        sh.put_text(rr, 6, cells[3])
        sh.merge(rr, 6, rr, 7)
        if fx and is_numeric(cells[3]):
            pct = "%" in cells[3]
            sh.put(rr, 6, "=%s/%s%s" % (sh.ref(rr, 5), sh.ref(rr, 4), "" if pct else "*100"),
                   "0%" if pct else "0")
    if fx:
        for c in (4, 5):
            sh.put(fb + 1, c, "=SUM(%s:%s)" % (sh.ref(fb + 2, c), sh.ref(fb + len(t.fund), c)))
    r = fb + 1 + len(t.fund)
    mb = r
    sh.put(mb, 1, lbl(t, "资金管理情况"))
    sh.merge(mb, 1, mb + len(t.mgmt), 2)
    sh.put(mb, 3, None)
    sh.put(mb, 4, lbl(t, "情况说明"))
    sh.merge(mb, 4, mb, 5)
    sh.put(mb, 6, lbl(t, "存在问题和改进措施"))
    sh.merge(mb, 6, mb, 7)
    for k, cells in enumerate(t.mgmt):
        check_width(cells, 3, t.lineno, "mgmt row")
        rr = mb + 1 + k
        sh.put(rr, 3, cells[0])
        sh.put_text(rr, 4, cells[1], span=2)
        sh.merge(rr, 4, rr, 5)
        sh.put_text(rr, 6, cells[2], span=2)
        sh.merge(rr, 6, rr, 7)
    r = mb + 1 + len(t.mgmt)
    sh.put(r, 1, lbl(t, "支出责任履行情况"))
    sh.merge(r, 1, r, 2)
    sh.put_text(r, 3, f.get("支出责任履行情况", ""), span=5)
    sh.merge(r, 3, r, 7)
    r += 1
    sh.put(r, 1, lbl(t, "总体目标完成情况"))
    sh.merge(r, 1, r + 1, 2)
    sh.put(r, 3, lbl(t, "总体目标"))
    sh.merge(r, 3, r, 4)
    sh.put(r, 5, lbl(t, "全年实际完成情况"))
    sh.merge(r, 5, r, 7)
    sh.put(r + 1, 3, f.get("总体目标", ""), align=LEFT, span=2)
    sh.merge(r + 1, 3, r + 1, 4)
    sh.put(r + 1, 5, f.get("全年实际完成情况", ""), align=LEFT, span=3)
    sh.merge(r + 1, 5, r + 1, 7)
    r += 2
    hdr = t.indhdr or ["", "一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值",
                       "未完成原因和改进措施"]
    check_width(hdr, 7, t.lineno, "indhdr")
    for c in range(7):
        sh.put(r, c + 1, hdr[c] or None)
    r_hdr = r
    r += 1
    first = r
    for cells, ann, lineno in t.inds:
        check_width(cells, 6, lineno, "central ind")
        for c in range(6):
            sh.put_text(r, c + 2, cellv(cells, c), align=LEFT if c == 5 else CENTER)
        r += 1
    last = r - 1
    merge_groups(sh, first, t.inds, [(0, 2), (1, 3)])
    if t.perfcol == "header":
        sh.put(r_hdr, 1, hdr[0])
        sh.merge(r_hdr, 1, last, 1)
    else:
        sh.put(first, 1, "绩效指标")
        sh.merge(first, 1, last, 1)
    sh.put(r, 1, lbl(t, "说明"))
    sh.merge(r, 1, r, 2)
    sh.put_text(r, 3, f.get("说明", ""), span=5)
    sh.merge(r, 3, r, 7)
    r += 1
    sh.box(top, 1, r - 1, 7)
    notes(sh, t, r, 7)


# ------------------------------------------------------------------ output

WIDTHS = {
    "target": [12, 14, 22, 16, 14, 30],
    "target2": [18, 20, 40, 26],
    "target3": [14, 16, 40, 40],
    "selfeval": [10, 12, 14, 30, 12, 12, 8, 8, 30],
    "central": [10, 12, 16, 34, 16, 16, 24],
}
HELPER_WIDTHS = {"target": (8, [2, 12, 8, 12]), "target2": (6, [2, 12, 8, 12]),
                 "target3": (6, [2, 12, 8, 12]), "selfeval": (10, [2, 12, 12]),
                 "central": (8, [])}
WRITERS = {"target": write_target, "target2": write_target2, "target3": write_target3,
           "selfeval": write_selfeval, "central": write_central}


def build(book, formulas):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    seen = set()
    for t in book.tables:
        if t.sheet in seen or len(t.sheet) > 31:
            raise SourceError("bad or duplicate sheet name %r" % t.sheet)
        seen.add(t.sheet)
        ws = wb.create_sheet(t.sheet)
        widths = list(WIDTHS[t.form])
        if formulas:
            widths += HELPER_WIDTHS[t.form][1]
        sh = Sheet(ws, widths, formulas)
        WRITERS[t.form](sh, t)
        sh.finish()
        ws.sheet_view.zoomScale = 100
        # Print like the published forms: one page wide, landscape.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    props = wb.properties
    props.creator = "exacalc samples/gen_samples.py"
    props.lastModifiedBy = None
    props.title = book.name
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def deterministic_zip(data):
    """Rewrite an xlsx zip with fixed timestamps, order and attributes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    # [Content_Types].xml first, as Excel writes it; then openpyxl's order.
    order = {n: i for i, n in enumerate(names)}
    names.sort(key=lambda n: (n != "[Content_Types].xml", order[n]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for n in names:
            info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, src.read(n), compresslevel=6)
    return out.getvalue()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE, help="output directory (default: samples/)")
    ap.add_argument("sources", nargs="*", help="source files (default: samples/src/*.txt)")
    args = ap.parse_args(argv)
    srcdir = os.path.join(HERE, "src")
    sources = args.sources or sorted(
        os.path.join(srcdir, n) for n in os.listdir(srcdir) if n.endswith(".txt"))
    os.makedirs(args.out, exist_ok=True)
    for path in sources:
        try:
            book = parse_source(path)
            for kind, fx in (("values", False), ("formulas", True)):
                data = deterministic_zip(build(book, fx))
                name = os.path.join(args.out, "%s_%s.xlsx" % (book.name, kind))
                with open(name, "wb") as fh:
                    fh.write(data)
                print(name)
        except SourceError as e:
            print("%s: %s" % (path, e), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
