#!/usr/bin/python3
"""Turn bench/work/results/results.jsonl (written by bench/run.sh) into the
Markdown tables of docs/performance.md: whole-process medians, ranges, peak
RSS and each peer's time as a multiple of exacalc's; exacalc's in-process
phases against the XML floor; edit + recalc; correctness; the batch; and
the targets, met or missed.

Usage: report.py RESULTS.jsonl  (Markdown on stdout)"""
import json
import statistics
import sys

PEERS = [("gnumeric", "Gnumeric `ssconvert --recalc`"),
         ("libreoffice", "LibreOffice headless (recalc profile)"),
         ("hyperformula", "HyperFormula (node)")]
WORKLOADS = ["forms_1k", "chain_100k", "forms_10k"]
TARGET_SPEEDUP = {"forms_1k": 7, "chain_100k": 7, "forms_10k": 8}


def med(xs):
    return statistics.median(xs) if xs else None


def fmt_s(xs):
    if not xs:
        return "–"
    if len(xs) == 1:
        return f"{xs[0]:.2f}"
    return f"{med(xs):.2f} [{min(xs):.2f}–{max(xs):.2f}]"


def fmt_ms(xs, d=1):
    if not xs:
        return "–"
    if len(xs) == 1:
        return f"{xs[0]:.{d}f}"
    return f"{med(xs):.{d}f} [{min(xs):.{d}f}–{max(xs):.{d}f}]"


def main():
    rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    meta = next((r for r in rows if r["engine"] == "meta"), {})
    by = {}
    for r in rows:
        by.setdefault((r["engine"], r.get("workload")), []).append(r)

    def ok_runs(e, w):
        return [r for r in by.get((e, w), []) if r["rc"] in (0, 1) and r["secs"] is not None]

    def secs(e, w):
        return [float(r["secs"]) for r in ok_runs(e, w)]

    def rss(e, w):
        return [r["rss_kb"] / 1024 for r in ok_runs(e, w) if r["rss_kb"]]

    out = []
    p = out.append
    avail = meta.get("avail", {})
    ver = meta.get("versions", {})
    p(f"Measured {meta.get('date', '?')} on {meta.get('nproc', '?')} × {meta.get('cpu', '?')} "
      f"(load average at the end: {meta.get('load', '?')}), exacalc commit {meta.get('commit', '?')}; "
      f"{meta.get('runs', '?')} alternating runs per engine and workload; "
      f"Gnumeric {ver.get('gnumeric') or '–'}, LibreOffice {ver.get('libreoffice') or '–'}, "
      f"HyperFormula {ver.get('hyperformula') or '–'} on node {ver.get('node') or '–'}.")
    p("")
    for k, name in PEERS:
        if avail.get(k, "yes") != "yes":
            p(f"- {name}: {avail[k]}")
    p("")
    p("### Whole process: load + recalculate + save (seconds, median [min–max]; peak RSS MB)")
    p("")
    p("| workload | exacalc | " + " | ".join(n for _, n in PEERS) + " |")
    p("|---|---|" + "---|" * len(PEERS))
    targets = []
    for w in WORKLOADS:
        ex = secs("exacalc", w)
        if not ex and not any(secs(k, w) for k, _ in PEERS):
            continue
        cells = [f"{fmt_s(ex)} s, {med(rss('exacalc', w)) or 0:.0f} MB" if ex else "failed"]
        best = None
        for k, _ in PEERS:
            s = secs(k, w)
            if not s:
                runs = by.get((k, w), [])
                cells.append("not run" if not runs else f"failed (rc {runs[-1]['rc']})")
                continue
            ratio = med(s) / med(ex) if ex else None
            best = min(best, med(s)) if best is not None else med(s)
            cells.append(f"{fmt_s(s)} s, {med(rss(k, w)):.0f} MB, **{ratio:.2f}×**" if ratio
                         else f"{fmt_s(s)} s, {med(rss(k, w)):.0f} MB")
        p(f"| {w} | " + " | ".join(cells) + " |")
        if ex and best:
            sp = best / med(ex)
            t = TARGET_SPEEDUP[w]
            targets.append((f"{w}: ≥ {t}× faster than the best peer (whole process)",
                            f"{sp:.2f}×", sp >= t))
        if w == "forms_10k" and ex:
            m = max(rss("exacalc", w))
            targets.append(("forms_10k: peak RSS ≤ 200 MB", f"{m:.0f} MB", m <= 200))
    p("")
    p("Ratios are the peer's median time divided by exacalc's (higher is better for exacalc).")
    p("")

    p("### exacalc in-process phases (xcbench, ms, median [min–max])")
    p("")
    p("| workload | XML floor | load | recalc | save | free | load+recalc+save+free | ÷ floor | evals | peak RSS MB |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    for w in WORKLOADS:
        js = [r["extra"] for r in by.get(("xcbench", w), []) if r["extra"]]
        if not js:
            continue
        g = lambda k: [j[k] for j in js if k in j]  # noqa
        ratio = [j["total_ms"] / j["floor_ms"] for j in js if j.get("floor_ms")]
        p(f"| {w} | {fmt_ms(g('floor_ms'), 0)} ({js[0].get('floor_xml_mb', 0):.0f} MB XML) | "
          f"{fmt_ms(g('load_ms'), 0)} | {fmt_ms(g('recalc_ms'), 0)} | {fmt_ms(g('save_ms'), 0)} | "
          f"{fmt_ms(g('free_ms'), 0)} | {fmt_ms(g('total_ms'), 0)} | {fmt_ms(ratio, 2)} | "
          f"{js[0].get('evals')} | {med(g('rss_mb')):.0f} |")
        if ratio:
            targets.append((f"{w}: exacalc total ≤ 2× XML floor", f"{med(ratio):.2f}×", med(ratio) <= 2))
    p("")
    ev = [(w, [r["extra"] for r in by.get(("xcbench", w), []) if r["extra"] and "recalc_again_ms" in r["extra"]])
          for w in WORKLOADS]
    if any(js for _, js in ev):
        p("")
        p("| workload | first full recalc (after loading) | second full recalc, exact | "
          "full recalc in Excel's view (XC_EV_EXCEL, IEEE doubles) | Excel view ÷ exact |")
        p("|---|---|---|---|---|")
        for w, js in ev:
            if not js:
                continue
            g = lambda k: [j[k] for j in js if k in j]  # noqa
            rt = [j["recalc_excel_view_ms"] / j["recalc_again_ms"] for j in js if j.get("recalc_again_ms")]
            p(f"| {w} | {fmt_ms(g('recalc_ms'), 0)} | {fmt_ms(g('recalc_again_ms'), 0)} | "
              f"{fmt_ms(g('recalc_excel_view_ms'), 0)} | {fmt_ms(rt, 2)} |")
            if rt:
                # the Excel view is the double mode (IEEE doubles natively)
                eod = 1 / med(rt)
                targets.append((f"{w}: exact recalc ≤ 3× the double (Excel-view) recalc",
                                f"{eod:.2f}×", eod <= 3))
    p("")
    p("The XML floor inflates (with the reader's own inflater, ISA-L) and expat-parses every worksheet "
      "part (namespace-aware, no-op handlers): the least any streaming xlsx reader must do. It is the "
      "fastest of three passes in the same process just before the load, so the file is in the page "
      "cache for both and a slow pass does not flatter the ratio.")
    p("")

    p("### One edit + recalc (in-process, ms)")
    p("")
    p("| workload | exacalc median [min–max] | formulas evaluated per edit | index built before the edits (xc_book_index) | HyperFormula median of its runs' medians | HF ÷ exacalc |")
    p("|---|---|---|---|---|---|")
    for w in WORKLOADS:
        js = [r["extra"] for r in by.get(("xcbench", w), []) if r["extra"] and "edit_ms_median" in r["extra"]]
        if not js:
            continue
        em = [j["edit_ms_median"] for j in js]
        lo = min(j["edit_ms_min"] for j in js)
        hi = max(j["edit_ms_max"] for j in js)
        evs = sorted({e for j in js for e in j.get("edit_evals", [])})
        hf = [r["extra"]["edit_ms_median"] for r in by.get(("hyperformula", w), [])
              if r["extra"] and "edit_ms_median" in r["extra"]]
        hfm = med(hf)
        ix = [j["index_ms"] for j in js if "index_ms" in j]
        ixs = f"{med(ix):.1f} [{min(ix):.1f}–{max(ix):.1f}]" if ix else "–"
        p(f"| {w} | {med(em):.2f} [{lo:.2f}–{hi:.2f}] ({js[0]['edits']} edits × {len(js)} runs) | "
          f"{', '.join(map(str, evs))} | {ixs} | {f'{hfm:.1f}' if hfm else '–'} | "
          f"{f'{hfm / med(em):.2f}×' if hfm else '–'} |")
        if w == "forms_10k":
            targets.append(("forms_10k: one edit + recalc ≤ 5 ms", f"{med(em):.1f} ms", med(em) <= 5))
    p("")
    p("exacalc: the 实际完成值 of one indicator of one form is set to a new number, then xc_book_recalc "
      "(dirty cells only); each edit is undone untimed before the next. chain_100k edits A1, which every "
      "cell depends on. HyperFormula: bench_hf.js's 6 edits of E5 / A1. The dependency index is not "
      "needed by a full recalculation whose formulas read only cells before their own, so it is built "
      "after it (the REPL does so on opening a book; without that the first edit would pay for it): "
      "its time is shown, and counted in no other column.")
    p("")

    p("### Correctness (values read back from each engine's output file)")
    p("")
    p("| workload | engine | result |")
    p("|---|---|---|")
    for w in WORKLOADS:
        ex = by.get(("exacalc", w), [])
        if ex:
            good = sum(1 for r in ex if r["extra"] and r["extra"].get("ok"))
            first = ex[0]["extra"] or {}
            if "last" in first:
                val = f"A100001 = {first.get('last')}"
            else:
                val = (f"grand total {first.get('B1')}, {first.get('graded_you')} forms 优, "
                       f"form totals wrong {first.get('form_totals_wrong')}")
            p(f"| {w} | exacalc | {good}/{len(ex)} runs exact: {val}"
              + ("" if good == len(ex) else " — **FAIL** " + "; ".join(
                  (r["extra"] or {}).get("problems", ["no output"])[0] for r in ex
                  if not (r["extra"] and r["extra"].get("ok")))) + " |")
        xs = [r for r in by.get(("xcbench", w), []) if r["rc"] == 0]
        if by.get(("xcbench", w)):
            p(f"| {w} | exacalc in-process (after load, and after the edits were undone) | "
              f"{len(xs)}/{len(by[('xcbench', w)])} runs completed and exact (the script fails otherwise) |")
        for k, name in PEERS:
            for r in by.get((k + "-check", w), []):
                c = r["extra"] or {}
                if "last" in c:
                    val = f"A100001 = {c.get('last')}"
                else:
                    val = (f"B1 {c.get('B1')}, B7 {c.get('B7')}, {c.get('graded_you')} forms 优, "
                           f"form totals off by ≥ 1e-9: {c.get('form_totals_wrong')}")
                if c.get("problems") and "cannot read" in c["problems"][0]:
                    val = c["problems"][0]
                p(f"| {w} | {name} | {val} |")
            if k == "hyperformula":
                for r in by.get((k, w), [])[:1]:
                    c = r["extra"] or {}
                    v = c.get("values", {})
                    p(f"| {w} | {name} | {json.dumps(v, ensure_ascii=False)}; form totals wrong: "
                      f"{c.get('form_totals_wrong', '–')} |")
    p("")

    if any(e == "batch" for (_, e) in by):
        p("### Batch: 1,000 small single-sheet forms (seed004 sheets, figures varied)")
        p("")
        p("| what | seconds | peak RSS MB | note |")
        p("|---|---|---|---|")
        names = {"exacalc-audit": f"`exacalc audit --jobs {meta.get('nproc', 'N')} DIR`",
                 "exacalc-audit1": "`exacalc audit --jobs 1 DIR`",
                 "exacalc-recalc": "`exacalc recalc` × 1,000 processes",
                 "libreoffice": "LibreOffice, 10 processes × 100 files"}
        for e, n in names.items():
            for r in by.get((e, "batch"), []):
                note = ""
                if r["extra"]:
                    note = r["extra"].get("summary") or (f"{r['extra'].get('files_written')} files written"
                                                          if "files_written" in r["extra"] else "")
                p(f"| {n} | {r['secs']} | {(r['rss_kb'] or 0) / 1024:.0f} | rc {r['rc']}; {note} |")
        p("")

    p("### Targets")
    p("")
    p("| target | measured | |")
    p("|---|---|---|")
    for t, m, ok in targets:
        p(f"| {t} | {m} | {'met' if ok else '**missed**'} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
