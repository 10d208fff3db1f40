"""The claim store: TinyDB over an atomic JSON file, seeded from the curated YAML on first start."""

from __future__ import annotations

import logging
import os
import re
import time
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from tinydb import TinyDB

from .io import parse_items
from .model import Claim, ClaimError, check_base, claim_from_dict, reloaded
from .storage import AtomicJSONStorage, Raw, StoreError, atomic_write_bytes, encode_json, load_json_file, plain

log = logging.getLogger(__name__)
BACKUPS_KEPT = 20  # copies of the store kept by backup()
STALE_TEMP_SECONDS = 600  # temporary files of writes killed midway, left beside the store

DEFAULT_DB = Path("data/claims.json")
SCHEMA_VERSION = 1
CLAIMS_TABLE = "claims"
AUDIT_TABLE = "audit"
PENDING_TABLE = "pending"  # changes waiting for a second moderator (knowledge/approval.py); never read as claims


NOT_CLAIMS = frozenset({"synonyms.yaml", "names.yaml"})  # the matcher's word lists, beside the claims


def curated_items() -> list[Any]:
    """The raw records of every curated YAML file shipped in knowledge/curated/."""
    items: list[Any] = []
    folder = resources.files("knowledge") / "curated"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")) and entry.name not in NOT_CLAIMS:
            items.extend(parse_items(entry.read_text(encoding="utf-8"), "yaml", entry.name))
    return items


def curated_claims() -> list[Claim]:
    claims = [claim_from_dict(item) for item in curated_items()]
    check_base(claims)
    return claims


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class ClaimStore:
    """Claims by id in one TinyDB file. One store per process, used from one thread (the event loop)."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, seed: Iterable[Claim] | None = None,
                 backups: str | Path | None = None, create: bool = True) -> None:
        """Open the store; a missing file is created from seed (the curated claims), unless backups of it
        exist or create is false (StoreError, nothing written). A damaged file is never replaced:
        StoreError names it and the latest backup."""
        self.path = Path(path)
        self.backups = Path(backups) if backups is not None else self.path.parent / "backups"
        existed = self.path.exists()
        if not existed and (latest := self.latest_backup()) is not None:
            raise StoreError(f"store file {self.path} is missing, yet {self.backups} holds backups of it: "
                             f"not starting again from the curated claims. {self._restore_hint(latest)}")
        if not existed and not create:
            raise StoreError(f"store file {self.path} does not exist (nothing was created)")
        _remove_stale_temp_files(self.path)
        self.db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._doc_ids: dict[str, int] = {}
        self._claims: dict[str, Claim] = {}
        if not existed:
            claims = list(seed) if seed is not None else curated_claims()
            self.commit(claims, replace=True, meta={"1": {"schema": SCHEMA_VERSION, "created_at": now_iso()}})
            log.info("store file %s created with %d claims", self.path, len(claims))
            return
        try:
            self._load()
        except StoreError as exc:
            latest = self.latest_backup()
            hint = self._restore_hint(latest) if latest else (
                f"No backup in {self.backups}: repair the file, or move it away to start again from the "
                f"curated claims (every change made since would be lost).")
            raise StoreError(f"{exc}. {hint}") from exc

    def latest_backup(self) -> Path | None:
        """The newest backup of this store that is a readable JSON object, or None."""
        if not self.backups.is_dir():
            return None
        for candidate in sorted(self.backups.glob(f"{self.path.stem}.*.json"), reverse=True):  # stamps sort
            try:
                if load_json_file(candidate) is not None:
                    return candidate
            except StoreError:
                continue
        return None

    def _restore_hint(self, backup: Path) -> str:
        return (f"The latest backup is {backup}; to restore it, keep the damaged file aside and copy the "
                f"backup in its place: mv {self.path} {self.path}.damaged; cp {backup} {self.path}")

    def _load(self) -> None:
        """Claims from the file, one row at a time; the file's rows stay in memory as encoded bytes only."""
        self._doc_ids.clear()
        self._claims.clear()
        rows = self.db.storage.read_rows(CLAIMS_TABLE, AUDIT_TABLE, PENDING_TABLE, packed=(AUDIT_TABLE, PENDING_TABLE))
        for table, key, value in rows:
            if table != CLAIMS_TABLE:
                continue
            try:
                claim = claim_from_dict(value, stored=True)
                doc_id = int(key)
            except ClaimError as exc:
                raise StoreError(f"store file {self.path}: {exc}") from exc
            except ValueError as exc:
                raise StoreError(f"store file {self.path} is damaged (claim row {key!r} is not a number)") from exc
            self._doc_ids[claim.id] = doc_id
            self._claims[claim.id] = claim
        order = sorted(self._doc_ids.items(), key=lambda item: item[1])
        if [claim_id for claim_id, _ in order] != list(self._claims):  # rows written out of order by hand
            self._claims = {claim_id: self._claims[claim_id] for claim_id, _ in order}

    # --- reading ------------------------------------------------------
    def all(self, include_retired: bool = True) -> list[Claim]:
        return [c for c in self._claims.values() if include_retired or c.active]

    def get(self, claim_id: str) -> Claim | None:
        return self._claims.get(claim_id)

    def __len__(self) -> int:
        return len(self._claims)

    def __contains__(self, claim_id: str) -> bool:
        return claim_id in self._claims

    # --- writing ------------------------------------------------------
    def put(self, claim: Claim) -> None:
        """Add or replace one claim after checking the base it makes."""
        self.commit([reloaded(claim)])

    def put_many(self, claims: Iterable[Claim], *, replace: bool = False) -> None:
        """Add or replace many claims in one write; with replace, the base becomes exactly these."""
        incoming = [reloaded(claim) for claim in claims]
        seen: set[str] = set()
        for claim in incoming:
            if claim.id in seen:  # the later one would silently win
                raise ClaimError(claim.id, "id", "appears more than once in the claims to add")
            seen.add(claim.id)
        self.commit(incoming, replace=replace)

    def commit(self, upserts: Iterable[Claim] = (), removals: Iterable[str] = (), *,
               audit: Mapping[str, Any] | None = None, replace: bool = False,
               meta: dict[str, Any] | None = None, pending: Mapping[int, Mapping[str, Any]] | None = None) -> int | None:
        """Apply claim changes and their audit entry in ONE atomic write; the audit entry's id.

        The whole base after the change is checked first (ClaimError, nothing written). With replace,
        upserts are the whole base, in order. Removals drop claims by id (undo of an add, --replace).
        pending: rows of the pending table written in the same write (an approved change marked so).
        """
        upserts = list(upserts)
        if replace:
            check_base(upserts)
            after = {c.id: c for c in upserts}
        else:
            after = dict(self._claims)
            for claim_id in removals:
                after.pop(claim_id, None)
            for claim in upserts:
                after[claim.id] = claim
            check_base(after.values())
        data = self.db.storage.read() or {}
        new = dict(data)
        if replace:
            table = {str(i): Raw.of(c.to_dict()) for i, c in enumerate(upserts, 1)}
            doc_ids = {c.id: i for i, c in enumerate(upserts, 1)}
        else:
            table = dict(data.get(CLAIMS_TABLE) or {})
            doc_ids = dict(self._doc_ids)
            for claim_id in removals:
                doc_id = doc_ids.pop(claim_id, None)
                if doc_id is not None:
                    table.pop(str(doc_id), None)
            next_id = max(map(int, table), default=0) + 1
            for claim in upserts:
                doc_id = doc_ids.get(claim.id)
                if doc_id is None:
                    doc_id, next_id = next_id, next_id + 1
                    doc_ids[claim.id] = doc_id
                table[str(doc_id)] = Raw.of(claim.to_dict())
        new[CLAIMS_TABLE] = table
        if meta is not None:
            new["meta"] = meta
        entry_id = None
        if audit is not None:
            log = dict(data.get(AUDIT_TABLE) or {})
            entry_id = max(map(int, log), default=0) + 1
            log[str(entry_id)] = Raw.of(dict(audit), packed=True)  # read by /history and /undo only
            new[AUDIT_TABLE] = log
        if pending:
            new[PENDING_TABLE] = _with_rows(data.get(PENDING_TABLE), pending)
        self.db.storage.write(new)
        order = sorted(doc_ids.items(), key=lambda item: item[1])
        self._claims = {claim_id: after[claim_id] for claim_id, _ in order}
        self._doc_ids = dict(order)
        return entry_id

    def check_current(self) -> None:
        """StoreChanged when another process wrote the file since this store read or wrote it: a write now
        would be refused (see AtomicJSONStorage)."""
        self.db.storage.check_unchanged()

    # --- audit log ------------------------------------------------------
    def audit_entries(self) -> list[tuple[int, dict[str, Any]]]:
        """Every audit entry with its id, oldest first."""
        log = (self.db.storage.read() or {}).get(AUDIT_TABLE) or {}
        return sorted(((int(k), plain(v)) for k, v in log.items()), key=lambda item: item[0])

    def audit_entry(self, entry_id: int) -> dict[str, Any] | None:
        log = (self.db.storage.read() or {}).get(AUDIT_TABLE) or {}
        return plain(log.get(str(entry_id)))

    def audit_head(self) -> int:
        """The id of the latest audit entry, 0 when there is none: changes when the base is changed."""
        log = (self.db.storage.read() or {}).get(AUDIT_TABLE) or {}
        return max(map(int, log), default=0)

    # --- changes waiting for a second moderator ----------------------------------------
    def pending_entries(self) -> list[tuple[int, dict[str, Any]]]:
        """Every row of the pending table (open or decided) with its id, oldest first."""
        table = (self.db.storage.read() or {}).get(PENDING_TABLE) or {}
        return sorted(((int(k), plain(v)) for k, v in table.items()), key=lambda item: item[0])

    def pending_entry(self, pending_id: int) -> dict[str, Any] | None:
        table = (self.db.storage.read() or {}).get(PENDING_TABLE) or {}
        return plain(table.get(str(pending_id)))

    def write_pending(self, pending_id: int | None, record: Mapping[str, Any]) -> int:
        """Add (pending_id None) or replace one row of the pending table, alone, in one atomic write; its id.
        The claims and the audit log are left as they are."""
        data = self.db.storage.read() or {}
        if pending_id is None:
            pending_id = max(map(int, data.get(PENDING_TABLE) or {}), default=0) + 1
        new = dict(data)
        new[PENDING_TABLE] = _with_rows(data.get(PENDING_TABLE), {pending_id: record})
        self.db.storage.write(new)
        return pending_id

    def backup(self, folder: str | Path | None = None, keep: int = BACKUPS_KEPT) -> Path:
        """Copy the whole store file (claims and audit) to folder, atomically; the copy's path.

        Only the newest `keep` copies of this store stay: each holds the whole audit log, so older
        ones add nothing but size."""
        folder = Path(folder) if folder is not None else self.path.parent / "backups"
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{self.path.stem}.{stamp}.json"
        atomic_write_bytes(target, encode_json(self.db.storage.read() or {}))
        ours = re.compile(re.escape(self.path.stem) + r"\.\d{8}T\d{12}Z\.json")
        copies = sorted((p for p in folder.glob(f"{self.path.stem}.*.json") if ours.fullmatch(p.name)), reverse=True)
        for old in copies[max(keep, 1):]:  # stamps sort
            try:
                old.unlink()
            except OSError as exc:
                log.warning("could not remove old backup %s: %s", old, exc)
        return target

    def close(self) -> None:
        self.db.close()


def _with_rows(table: Mapping[str, Any] | None, rows: Mapping[int, Mapping[str, Any]]) -> dict[str, Any]:
    """A copy of a pending table with rows set (kept compressed, as the audit log)."""
    out = dict(table or {})
    for row_id, record in rows.items():
        out[str(row_id)] = Raw.of(dict(record), packed=True)
    return out


def _remove_stale_temp_files(path: Path) -> None:
    """Temporary files of atomic writes that a killed process left behind (never the store itself)."""
    if not path.parent.is_dir():
        return
    now = time.time()
    removed = 0
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                os.unlink(temp)
                removed += 1
        except OSError:
            continue
    if removed:
        log.info("removed %d temporary files left by interrupted writes of %s", removed, path)
