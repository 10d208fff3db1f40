"""The claim base the bot talks to: the store and the matcher kept in step."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from .matcher import Matcher, SearchResult, Synonyms, Thresholds
from .model import Claim
from .store import DEFAULT_DB, ClaimStore


def curated_synonyms() -> Synonyms:
    """Name variants shipped in knowledge/curated/synonyms.yaml."""
    entry = resources.files("knowledge") / "curated" / "synonyms.yaml"
    groups = yaml.safe_load(entry.read_text(encoding="utf-8")) if entry.is_file() else {}
    return Synonyms(groups or {})


class ClaimBase:
    """Search and read claims; every write goes to the store first, then to the index."""

    def __init__(self, store: ClaimStore, *, synonyms: Synonyms | None = None,
                 thresholds: Thresholds | None = None) -> None:
        self.store = store
        self.matcher = Matcher(store.all(include_retired=False),
                               synonyms=synonyms if synonyms is not None else curated_synonyms(),
                               thresholds=thresholds)

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, *, backups: str | Path | None = None, **kwargs) -> "ClaimBase":
        return cls(ClaimStore(path, backups=backups), **kwargs)

    def search(self, question: str, top: int = 3, thresholds: Thresholds | None = None) -> SearchResult:
        return self.matcher.search(question, top=top, thresholds=thresholds)

    def get(self, claim_id: str) -> Claim | None:
        return self.store.get(claim_id)

    def find_id(self, text: str) -> Claim | None:
        """A claim by id, forgiving case and surrounding spaces."""
        text = text.strip()
        claim = self.store.get(text)
        if claim is None:
            lowered = text.lower()
            claim = next((c for c in self.store.all() if c.id.lower() == lowered), None)
        return claim

    def rests_on(self, claim: Claim) -> list[Claim]:
        return [c for c in (self.store.get(i) for i in claim.rests_on) if c is not None]

    def chain(self, claim: Claim) -> list[tuple[int, Claim]]:
        """The claim and everything it rests on, depth first, each claim once, with its depth."""
        out: list[tuple[int, Claim]] = []
        seen: set[str] = set()

        def walk(node: Claim, depth: int) -> None:
            if node.id in seen:
                return
            seen.add(node.id)
            out.append((depth, node))
            for dep in self.rests_on(node):
                walk(dep, depth + 1)

        walk(claim, 0)
        return out

    def save(self, claim: Claim) -> None:
        self.store.put(claim)
        self.matcher.upsert(claim)

    def import_claims(self, claims: Iterable[Claim], *, replace: bool = False) -> None:
        claims = list(claims)
        self.store.put_many(claims, replace=replace)
        self._reindex(claims, (), replace=replace)

    def commit(self, upserts: Iterable[Claim] = (), removals: Iterable[str] = (), *,
               audit: Mapping[str, Any] | None = None, replace: bool = False,
               pending: Mapping[int, Mapping[str, Any]] | None = None) -> int | None:
        """Store claim changes with their audit entry (and pending rows) in one write, then update the index."""
        upserts, removals = list(upserts), list(removals)
        entry_id = self.store.commit(upserts, removals, audit=audit, replace=replace, pending=pending)
        self._reindex(upserts, removals, replace=replace)
        return entry_id

    def _reindex(self, upserts: list[Claim], removals: Iterable[str], *, replace: bool) -> None:
        """Bring the index in step with a stored change: rebuilt after a replace, else updated in place."""
        if replace:
            self.matcher = Matcher(self.store.all(include_retired=False), synonyms=self.matcher.synonyms,
                                   thresholds=self.matcher.thresholds, weights=self.matcher.weights)
            return
        for claim_id in removals:
            self.matcher.remove(claim_id)
        for claim in upserts:
            self.matcher.upsert(claim)

    def close(self) -> None:
        self.store.close()
