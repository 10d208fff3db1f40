"""The store at 10,000 claims: the import command, one moderator edit, cold start (load and index)."""

from __future__ import annotations

import dataclasses
import io
import statistics
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from knowledge.base import ClaimBase
from knowledge.cli import main as knowledge_cli

from .config import Config
from .synthetic import synthetic_records, write_jsonl


def build_store(folder: Path, size: int, seed: int) -> tuple[Path, float]:
    """A store of `size` synthetic claims made by the import command (in this process); its duration."""
    source = folder / "claims.jsonl"
    write_jsonl(source, synthetic_records(size, seed))
    db = folder / "claims.json"
    started = time.perf_counter()
    with redirect_stdout(io.StringIO()):
        code = knowledge_cli(["import", str(source), "--db", str(db), "--replace"])
    seconds = time.perf_counter() - started
    if code != 0:
        raise RuntimeError("import failed")
    return db, seconds


def run(config: Config, log=print) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, import_seconds = build_store(folder, config.store_size, config.seed)
        cold = []
        for _ in range(3):
            started = time.perf_counter()
            base = ClaimBase.open(db)
            cold.append(time.perf_counter() - started)
            base.close()
        base = ClaimBase.open(db)
        try:
            edits = []
            victims = [c for c in base.store.all()[: config.edits]]
            for i, claim in enumerate(victims):
                changed = dataclasses.replace(claim, text={**claim.text, "en": f"{claim.text_in('en')} (edit {i})"})
                started = time.perf_counter()
                base.save(changed)
                edits.append(time.perf_counter() - started)
            assert base.matcher.rank(f"edit {len(victims) - 1}", top=50), "the edit did not reach the index"
            claims = len(base.store)
        finally:
            base.close()
        file_mib = db.stat().st_size / 2**20
    out = {"claims": claims, "import_seconds": import_seconds, "edits": len(edits),
           "edit_ms": statistics.median(edits) * 1000,
           "edit_ms_max": max(edits) * 1000, "cold_start_seconds": statistics.median(cold), "file_mib": file_mib}
    log(f"  store at {claims:,}: import {import_seconds:.2f} s, edit {out['edit_ms']:.1f} ms, "
        f"cold start {out['cold_start_seconds']:.2f} s")
    return out
