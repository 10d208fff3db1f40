"""The one table, the threshold sweep, and the targets each figure is held to."""

from __future__ import annotations

import os
import platform
from typing import Any


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), model)
    except OSError:
        pass
    import numpy
    import rapidfuzz
    import telegram
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "numpy": numpy.__version__, "rapidfuzz": rapidfuzz.__version__, "python_telegram_bot": telegram.__version__}


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of issue 3 with the figure it is judged on; `met` is None when the run did not measure it
    at the target's size (a --tiny run judges only the quality targets)."""
    out: list[dict[str, Any]] = []

    def add(name: str, figure: Any, goal: str, met: bool | None) -> None:
        out.append({"target": name, "figure": figure, "goal": goal, "met": met})

    speed = r.get("speed", {}).get("sizes", {})
    at10, at100 = speed.get("10000"), speed.get("100000")
    add("matching p95 at 10,000 claims", at10 and round(at10["ours"]["p95"], 3), "<= 2 ms",
        at10 and at10["ours"]["p95"] <= 2.0)
    add("matching p95 at 100,000 claims", at100 and round(at100["ours"]["p95"], 3), "<= 10 ms",
        at100 and at100["ours"]["p95"] <= 10.0)
    add("faster than naive WRatio at 10,000 (p50 ratio)", at10 and round(at10["ratio_p50"], 1), ">= 100x",
        at10 and at10["ratio_p50"] >= 100)
    clef = r.get("clef", {}).get("dev")
    if clef:
        better = max(clef["bm25_one_field"]["map5"], clef["bm25_best_field"]["map5"])
        add("CLEF dev MAP@5 above the better plain BM25", round(clef["ours"]["map5"], 4), f"> {better:.4f}",
            clef["ours"]["map5"] > better)
    else:
        add("CLEF dev MAP@5 above the better plain BM25", None, "> best BM25", None)
    seed = r.get("quality")
    for prefix, part in (("seed", seed), ("held-out", (seed or {}).get("holdout"))):
        if part:
            ours, naive = part["ours"], part["naive"]
            add(f"{prefix} top-1 accuracy at least naive's", round(ours["top1"], 4), f">= {naive['top1']:.4f}",
                ours["top1"] >= naive["top1"])
            add(f"{prefix} MRR@5 at least naive's", round(ours["mrr5"], 4), f">= {naive['mrr5']:.4f}",
                ours["mrr5"] >= naive["mrr5"])
            add(f"{prefix} off-topic answered at most naive's", ours["off_topic_answered"],
                f"<= {naive['off_topic_answered']}", ours["off_topic_answered"] <= naive["off_topic_answered"])
    e2e = r.get("e2e")
    e2e = e2e if e2e and e2e["claims"] == 10_000 else None
    add("end to end at least 0.5x the echo bot (updates/s)", e2e and round(e2e["ratio"], 3), ">= 0.5",
        e2e and e2e["ratio"] >= 0.5)
    store = r.get("store")
    store = store if store and store["claims"] == 10_000 else None
    add("import of 10,000 claims", store and round(store["import_seconds"], 3), "<= 3 s",
        store and store["import_seconds"] <= 3.0)
    add("one edit at 10,000 claims", store and round(store["edit_ms"], 1), "<= 100 ms",
        store and store["edit_ms"] <= 100.0)
    add("cold start at 10,000 claims", store and round(store["cold_start_seconds"], 3), "<= 1.5 s",
        store and store["cold_start_seconds"] <= 1.5)
    memory = r.get("speed", {}).get("memory")
    memory = memory if memory and memory["claims"] == 100_000 else None
    add("resident memory at 100,000 claims (MiB)", memory and round(memory["rss_mib"], 1), "<= 300",
        memory and memory["rss_mib"] <= 300.0)
    whole = memory and memory.get("claim_base")
    add("resident memory at 100,000 claims, the bot's whole base (MiB)", whole and round(whole["rss_mib"], 1),
        "<= 300", whole and whole["rss_mib"] <= 300.0)
    for t in out:
        if t["met"] is not None:
            t["met"] = bool(t["met"])
    return out


def _ms(s: dict[str, float]) -> str:
    return f"{s['p50']:.3f} / {s['p95']:.3f} / {s['p99']:.3f}"


def _yes(flag: bool | None) -> str:
    return "-" if flag is None else ("yes" if flag else "NO")


def table(r: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str, str]] = []
    met = {t["target"]: t["met"] for t in r["targets"]}

    def head(text: str) -> None:
        rows.append((text, "", "", "", ""))

    def row(name: str, ours: str, base: str = "", goal: str = "", ok: bool | None = None) -> None:
        rows.append(("  " + name, ours, base, goal, _yes(ok) if goal else ""))

    q = r.get("quality")
    if q:
        o, n = q["ours"], q["naive"]
        head(f"Seed set: {o['in_base']} questions in the base, {o['off_topic']} off-topic (curated base)")
        row("top-1 accuracy", f"{o['top1']:.3f}", f"naive WRatio {n['top1']:.3f}", ">= naive",
            met.get("seed top-1 accuracy at least naive's"))
        row("MRR@5", f"{o['mrr5']:.3f}", f"naive WRatio {n['mrr5']:.3f}", ">= naive", met.get("seed MRR@5 at least naive's"))
        nc = q["naive_chosen"]
        row("off-topic questions answered", f"{o['off_topic_answered']}",
            f"naive {n['off_topic_answered']} (its thresholds {nc['answer']:.0f}/{nc['suggest']:.0f}/{nc['margin']:.0f})",
            "<= naive", met.get("seed off-topic answered at most naive's"))
        h = q.get("holdout")
        if h:
            o, n = h["ours"], h["naive"]
            head(f"Held-out questions (tests/eval/holdout.yaml, never used for tuning): {o['in_base']} in the base, "
                 f"{o['off_topic']} near misses and off-topic")
            row("top-1 accuracy", f"{o['top1']:.3f}", f"naive WRatio {n['top1']:.3f}", ">= naive",
                met.get("held-out top-1 accuracy at least naive's"))
            row("MRR@5", f"{o['mrr5']:.3f}", f"naive WRatio {n['mrr5']:.3f}", ">= naive",
                met.get("held-out MRR@5 at least naive's"))
            row("answered right / wrong (in the base)", f"{o['counts']['in_right']} / {o['counts']['in_wrong']}",
                f"naive {n['counts']['in_right']} / {n['counts']['in_wrong']}")
            row("near misses and off-topic answered", f"{o['off_topic_answered']}", f"naive {n['off_topic_answered']}",
                "<= naive", met.get("held-out off-topic answered at most naive's"))
    c = r.get("clef")
    if c:
        d = c["dev"]
        head(f"CLEF-2020 task 2 dev: {d['ours']['queries']} tweets, {c['claims']:,} claims (imported by the CLI)")
        base = f"BM25 1 field {d['bm25_one_field']['map5']:.3f}, best field {d['bm25_best_field']['map5']:.3f}"
        if "naive_wratio" in d:
            base += f", WRatio {d['naive_wratio']['map5']:.3f}"
        row("MAP@5", f"{d['ours']['map5']:.3f}", base, "> best BM25", met.get("CLEF dev MAP@5 above the better plain BM25"))
        base = f"BM25 1 field {d['bm25_one_field']['p1']:.3f}, best field {d['bm25_best_field']['p1']:.3f}"
        if "naive_wratio" in d:
            base += f", WRatio {d['naive_wratio']['p1']:.3f}"
        row("P@1", f"{d['ours']['p1']:.3f}", base)
        if "train" in c:
            t = c["train"]
            row("(train, used for tuning) MAP@5", f"{t['ours']['map5']:.3f}",
                f"BM25 1 field {t['bm25_one_field']['map5']:.3f}, best field {t['bm25_best_field']['map5']:.3f}")
    s = r.get("speed")
    if s:
        head("Speed: ms per question p50 / p95 / p99 (synthetic FR/EN claims; naive WRatio = extractOne)")
        for size, m in s["sizes"].items():
            goal, ok = "", None
            if size == "10000":
                goal, ok = "p95 <= 2, >= 100x", met.get("matching p95 at 10,000 claims") and met.get(
                    "faster than naive WRatio at 10,000 (p50 ratio)")
            elif size == "100000":
                goal, ok = "p95 <= 10", met.get("matching p95 at 100,000 claims")
            sampled = f", {m['naive']['n']} questions" if m["naive_sampled"] else ""
            row(f"{int(size):,} claims ({m['ours']['n']} questions)", _ms(m["ours"]),
                f"naive {_ms(m['naive'])}{sampled}; {m['ratio_p50']:.0f}x", goal, ok)
        m = s["real_base"]
        row(f"curated base ({m['claims']} claims, {m['ours']['n']} questions)", _ms(m["ours"]),
            f"naive {_ms(m['naive'])}; {m['ratio_p50']:.1f}x")
        row("index build at " + " / ".join(f"{int(k):,}" for k in s["sizes"]) + " claims, seconds",
            " / ".join(f"{v['build_seconds']:.2f}" for v in s["sizes"].values()))
        mem = s["memory"]
        row(f"resident MiB, {mem['claims']:,} claims: matcher", f"{mem['rss_mib']:.0f}",
            f"claims alone {mem['rss_claims_mib']:.0f}, empty process {mem['rss_start_mib']:.0f}, peak {mem['peak_rss_mib']:.0f}",
            "<= 300", met.get("resident memory at 100,000 claims (MiB)"))
        cb = mem.get("claim_base")
        if cb:
            row(f"resident MiB, {cb['claims']:,} claims: bot's whole base",
                f"{cb['rss_mib']:.0f}", f"ClaimBase.open {cb['open_seconds']:.1f} s, peak {cb['peak_rss_mib']:.0f}",
                "<= 300", met.get("resident memory at 100,000 claims, the bot's whole base (MiB)"))
    st = r.get("store")
    if st:
        head(f"Store: {st['claims']:,} claims (TinyDB file {st['file_mib']:.1f} MiB)")
        row("import command, seconds", f"{st['import_seconds']:.2f}", "", "<= 3", met.get("import of 10,000 claims"))
        row("one moderator edit (ClaimBase.save), ms", f"{st['edit_ms']:.1f}",
            f"median of {st['edits']}; slowest {st['edit_ms_max']:.1f}", "<= 100", met.get("one edit at 10,000 claims"))
        row("cold start (ClaimBase.open: load + index), s", f"{st['cold_start_seconds']:.2f}", "", "<= 1.5",
            met.get("cold start at 10,000 claims"))
    e = r.get("e2e")
    if e:
        head(f"End to end: process_update with a recording request, {e['claims']:,} claims, {e['updates']} updates")
        row("claim bot, updates/s", f"{e['claim_bot']:.0f}",
            f"echo bot {e['echo_bot']:.0f}; {e['ratio']:.2f}x (search {e.get('search_share', 0):.0%} of its time)",
            ">= 0.5x echo", met.get("end to end at least 0.5x the echo bot (updates/s)"))
        if "plain_bm25_bot" in e:
            row("plain BM25 bot (best claim's text, nothing else), updates/s", f"{e['plain_bm25_bot']:.0f}",
                f"{e['plain_bm25_ratio']:.2f}x echo: the floor of a matcher that beats BM25")
        if "claim_bot_free_search" in e:
            row("claim bot, search answered from a table, updates/s", f"{e['claim_bot_free_search']:.0f}",
                f"{e['free_search_ratio']:.2f}x echo: the rest of the bot alone")
    body = [row_ for row_ in rows if row_[1] or row_[2]]
    widths = [max(len(row_[i]) for row_ in body + [HEADER]) for i in range(5)]
    lines = [" | ".join(col.ljust(w) for col, w in zip(HEADER, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(col.ljust(w) for col, w in zip(row_, widths)).rstrip() if row_[1] or row_[2] else row_[0]
              for row_ in rows]
    return "\n".join(lines)


HEADER = ("figure", "project", "baseline (same run)", "target", "met")


def sweep(q: dict[str, Any]) -> str:
    """Outcomes on the seed set against each threshold, the others held at the chosen values."""
    chosen = q["chosen"]
    near = q.get("near_misses", {}).get("messages", 0)
    lines = [f"Thresholds on the seed set ({q['ours']['in_base']} questions in the base, {q['ours']['off_topic']} "
             f"off-topic; {q['quoted']['messages']} messages quoting a claim; {near} generated near misses). "
             f"Chosen by bench/thresholds.py: "
             f"answer {chosen['answer']:.0f}, suggest {chosen['suggest']:.0f}, margin {chosen['margin']:.0f}; "
             f"defaults in Thresholds: answer {q['defaults']['answer']:.0f}, suggest {q['defaults']['suggest']:.0f}, "
             f"margin {q['defaults']['margin']:.0f}. Each threshold varied, the others at the chosen values:",
             "               in base: right wrong suggest none | off-topic: answer suggest none | quoted: answered right"
             " | near misses: answered"]
    for kind in ("answer", "suggest", "margin"):
        for item in q["sweep"][kind]:
            mark = "  <- chosen" if item[kind] == chosen[kind] else ""
            lines.append(f"  {kind:>7} {item[kind]:>3.0f}:     {item['in_right']:>5} {item['in_wrong']:>5} "
                         f"{item['in_suggest']:>7} {item['in_none']:>4} | {item['off_answer']:>17} "
                         f"{item['off_suggest']:>7} {item['off_none']:>4} | {item['quoted_answered']:>21}"
                         f" | {item.get('near_answered', 0):>21}{mark}")
    for name, key, what in (("Groups", "group_chosen", "a card to /ask or a mention"),
                            ("Auto-check and channel notes", "unasked_chosen", "a card, unasked")):
        g = q.get(key)
        if g:
            c = g["counts"]
            lines.append(f"{name} ({what}; the same rule, mistakes weighed more, bench/thresholds.py): answer "
                         f"{g['answer']:.0f}" + (f", suggest {g['suggest']:.0f}" if "suggest" in g else "")
                         + f", margin {g['margin']:.0f}: in base {c['in_right']} right, {c['in_wrong']} wrong; "
                         f"off-topic answered {c['off_answer']}")
    return "\n".join(lines)
