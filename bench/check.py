#!/usr/bin/python3
"""Correctness gate for bench/run.sh and tests/cli/bench_smoke.sh: read the
values an engine WROTE to its output .xlsx (the cached <v> of every cell;
nothing is recalculated here) and compare them with expected.json from
gen_bench_forms.py.

Usage: check.py EXPECTED.json WORKLOAD OUT.xlsx [--strict]

WORKLOAD is a key of expected.json (forms_1k, forms_10k, chain_100k, or
any forms book made with gen_forms).  Prints one JSON line with what was
found.  --strict (exacalc): every value must equal the exact one as a
decimal (B5, a non-terminating quotient, must be the exact value rounded
to 17 significant digits); exit status 1 on any difference.  Without it
(peers) a form total is wrong only if it differs by >= 1e-9, and the exit
status is 0.

Reads the package with zipfile + expat directly (openpyxl's reader takes
~25 s on forms_10k; this takes a few)."""
import json
import re
import sys
import zipfile
from decimal import Decimal, ROUND_HALF_EVEN, localcontext
from fractions import Fraction
from xml.parsers import expat

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PNS = "http://schemas.openxmlformats.org/package/2006/relationships"
CELL = re.compile(r"([A-Z]+)([0-9]+)")


def sheet_parts(z):
    """{sheet name: part name} from workbook.xml and its rels."""
    rels = {}
    p = expat.ParserCreate(namespace_separator=" ")

    def rel(name, a):
        if name == PNS + " Relationship":
            t = a["Target"]
            rels[a["Id"]] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    p.StartElementHandler = rel
    p.Parse(z.read("xl/_rels/workbook.xml.rels"), True)
    sheets = {}
    p = expat.ParserCreate(namespace_separator=" ")

    def sh(name, a):
        if name == NS + " sheet":
            sheets[a["name"]] = rels[a[RNS + " id"]]
    p.StartElementHandler = sh
    p.Parse(z.read("xl/workbook.xml"), True)
    return sheets


def shared_strings(z):
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    out, cur, in_t = [], [], [False]
    p = expat.ParserCreate(namespace_separator=" ")

    def start(name, a):
        if name == NS + " si":
            cur.clear()
        elif name == NS + " t":
            in_t[0] = True

    def end(name):
        if name == NS + " si":
            out.append("".join(cur))
        elif name == NS + " t":
            in_t[0] = False

    def text(s):
        if in_t[0]:
            cur.append(s)
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, text
    p.Parse(z.read("xl/sharedStrings.xml"), True)
    return out


def read_cells(z, part, sst, want):
    """{(col letters, row): value text} of the cells for which want(col,
    row) is true; numbers as their <v> text, strings as text."""
    got = {}
    st = {"cell": None, "t": None, "buf": [], "in": None}
    p = expat.ParserCreate(namespace_separator=" ")

    def start(name, a):
        if name == NS + " c":
            m = CELL.fullmatch(a["r"])
            key = (m.group(1), int(m.group(2)))
            st["cell"] = key if want(*key) else None
            st["t"] = a.get("t", "n")
            st["buf"] = []
        elif st["cell"] and name in (NS + " v", NS + " t"):
            st["in"] = name

    def end(name):
        if name == NS + " c" and st["cell"]:
            s = "".join(st["buf"])
            if st["t"] == "s" and s:
                s = sst[int(s)]
            got[st["cell"]] = (st["t"], s)
            st["cell"] = None
        elif name in (NS + " v", NS + " t"):
            st["in"] = None

    def text(s):
        if st["cell"] and st["in"]:
            st["buf"].append(s)
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, text
    p.buffer_text = True
    with z.open(part) as f:
        p.ParseFile(f)
    return got


def dec(s):
    try:
        return Decimal(s)
    except Exception:  # noqa
        return None


def sig17(fr):
    """An exact Fraction rounded half-even to 17 significant digits."""
    with localcontext() as c:
        c.prec = 60
        d = Decimal(fr.numerator) / Decimal(fr.denominator)
        e = d.adjusted() - 16
        return d.quantize(Decimal(1).scaleb(e), rounding=ROUND_HALF_EVEN)


def check_forms(z, sheets, exp, strict):
    sst = shared_strings(z)
    n = exp["forms"]
    form = read_cells(z, sheets["自评表"], sst,
                      lambda c, r: (c == "G" and r % 20 == 19) or (c == "H" and r % 20 == 19))
    summ = read_cells(z, sheets["汇总"], sst, lambda c, r: c == "B")
    res, bad = {}, []
    wrong, maxd = 0, Decimal(0)
    for k, e in enumerate(exp["all_form_totals"]):
        v = dec(form.get(("G", 20 * k + 19), ("", ""))[1])
        d = abs(v - Decimal(e)) if v is not None else Decimal(1e9)
        if (strict and d != 0) or d >= Decimal("1e-9"):
            wrong += 1
        maxd = max(maxd, d)
    res["form_totals_wrong"] = wrong
    res["form_totals_maxdiff"] = float(maxd)
    res["graded_you"] = sum(1 for k in range(n) if form.get(("H", 20 * k + 19), ("", ""))[1] == "优")
    if wrong:
        bad.append(f"{wrong}/{n} form totals differ (max {float(maxd):.3g})")
    if res["graded_you"] != exp["excellent_count_B7"]:
        bad.append(f"{res['graded_you']} forms graded 优, expected {exp['excellent_count_B7']}")
    want = {"B1": exp["grand_total_B1"], "B2": exp["average_B2"], "B3": exp["exec_sum_B3"],
            "B4": exp["budget_sum_B4"], "B6": str(exp["ok_count_B6"]), "B7": str(exp["excellent_count_B7"])}
    quotients = {"B2": Fraction(exp["grand_total_B1"]) / n, "B5": Fraction(exp["exec_rate_B5_exact"])}
    for key in ["B1", "B2", "B3", "B4", "B5", "B6", "B7"]:
        v = summ.get(("B", int(key[1:])), ("", ""))[1]
        res[key] = v
        got = dec(v)
        if key in quotients:
            # a quotient: exact if it terminates, else written to 17 digits
            q = quotients[key]
            ok = got is not None and (Fraction(got) == q or got == sig17(q) or
                                      (not strict and abs(got - sig17(q)) < Decimal("1e-12") * abs(got)))
            e = str(sig17(q))
        else:
            e = want[key]
            ok = got is not None and got == Decimal(e)
        if not ok:
            bad.append(f"汇总!{key} = {v!r}, expected {e}")
    return res, bad


def check_chain(z, sheets, exp, strict):
    last = int(exp["last_cell"][1:])
    got = read_cells(z, sheets["chain"], [], lambda c, r: c == "A" and r == last)
    v = got.get(("A", last), ("", ""))[1]
    res = {"last": v}
    ok = dec(v) is not None and dec(v) == Decimal(exp["last_value_exact"])
    return res, ([] if ok else [f"chain!{exp['last_cell']} = {v!r}, expected {exp['last_value_exact']}"])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    strict = "--strict" in sys.argv
    if len(args) != 3:
        sys.exit("usage: check.py EXPECTED.json WORKLOAD OUT.xlsx [--strict]")
    exp = json.load(open(args[0], encoding="utf-8"))[args[1]]
    try:
        z = zipfile.ZipFile(args[2])
        sheets = sheet_parts(z)
        fn = check_chain if "last_cell" in exp else check_forms
        res, bad = fn(z, sheets, exp, strict)
    except Exception as ex:  # noqa: an unreadable output is a failure too
        res, bad = {}, [f"cannot read {args[2]}: {ex!r}"]
    res.update({"workload": args[1], "ok": not bad, "problems": bad})
    print(json.dumps(res, ensure_ascii=False))
    return 1 if (bad and strict) else 0


if __name__ == "__main__":
    sys.exit(main())
