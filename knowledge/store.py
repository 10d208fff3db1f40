"""The claim store: TinyDB over an atomic JSON file, seeded from the curated YAML on first start."""

from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from tinydb import TinyDB

from .io import parse_items
from .model import Claim, ClaimError, check_base, claim_from_dict, reloaded
from .storage import AtomicJSONStorage, StoreError

DEFAULT_DB = Path("data/claims.json")
SCHEMA_VERSION = 1


def curated_items() -> list[Any]:
    """The raw records of every curated YAML file shipped in knowledge/curated/."""
    items: list[Any] = []
    folder = resources.files("knowledge") / "curated"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")) and entry.name != "synonyms.yaml":
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

    def __init__(self, path: str | Path = DEFAULT_DB, *, seed: Iterable[Claim] | None = None) -> None:
        self.path = Path(path)
        existed = self.path.exists()
        self.db = TinyDB(self.path, storage=AtomicJSONStorage)
        self.claims_table = self.db.table("claims", cache_size=0)
        self.meta = self.db.table("meta", cache_size=0)
        self._doc_ids: dict[str, int] = {}
        self._claims: dict[str, Claim] = {}
        if not existed:
            claims = list(seed) if seed is not None else curated_claims()
            check_base(claims)
            self._write_all(claims, meta={"1": {"schema": SCHEMA_VERSION, "created_at": now_iso()}})
        else:
            self._load()

    def _load(self) -> None:
        self._doc_ids.clear()
        self._claims.clear()
        for doc in self.claims_table.all():
            try:
                claim = claim_from_dict(dict(doc))
            except ClaimError as exc:
                raise StoreError(f"store file {self.path}: {exc}") from exc
            self._doc_ids[claim.id] = doc.doc_id
            self._claims[claim.id] = claim

    def _write_all(self, claims: list[Claim], meta: dict[str, Any] | None = None) -> None:
        """Replace the claims table in one atomic write, then reopen TinyDB on the new data."""
        data = dict(self.db.storage.read() or {})
        data["claims"] = {str(i): c.to_dict() for i, c in enumerate(claims, 1)}
        if meta is not None:
            data["meta"] = meta
        self.db.storage.write(data)
        self.db.close()
        self.db = TinyDB(self.path, storage=AtomicJSONStorage, initial=data)
        self.claims_table = self.db.table("claims", cache_size=0)
        self.meta = self.db.table("meta", cache_size=0)
        self._load()

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
        claim = reloaded(claim)
        after = dict(self._claims)
        after[claim.id] = claim
        check_base(after.values())
        record = claim.to_dict()
        doc_id = self._doc_ids.get(claim.id)
        if doc_id is None:
            self._doc_ids[claim.id] = self.claims_table.insert(record)
        else:
            self.claims_table.update(_replace_with(record), doc_ids=[doc_id])
        self._claims[claim.id] = claim

    def put_many(self, claims: Iterable[Claim], *, replace: bool = False) -> None:
        """Add or replace many claims in one write; with replace, the base becomes exactly these."""
        incoming = [reloaded(claim) for claim in claims]
        after = {} if replace else dict(self._claims)
        seen: set[str] = set()
        for claim in incoming:
            if claim.id in seen:  # the later one would silently win
                raise ClaimError(claim.id, "id", "appears more than once in the claims to add")
            seen.add(claim.id)
            after[claim.id] = claim
        check_base(after.values())
        self._write_all(list(after.values()))

    def close(self) -> None:
        self.db.close()


def _replace_with(record: dict[str, Any]):
    def transform(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(record)
    return transform
