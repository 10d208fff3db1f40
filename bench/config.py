"""How big each benchmark run is: the full run (make bench) and a tiny one that only checks the code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Config:
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000)
    queries: int = 300                      # synthetic questions per size
    repeats: int = 3                        # each question timed this often; its median counts
    naive_queries: dict[int, int] = field(default_factory=lambda: {1_000: 50, 10_000: 20, 100_000: 5})
    memory_size: int = 100_000
    store_size: int = 10_000
    edits: int = 5
    e2e_size: int = 10_000
    e2e_updates: int = 300
    clef_claims: int | None = None          # None: all 10,375
    clef_queries: int | None = None         # None: all 197 dev tweets
    clef_train: bool = True                 # also report train (the split tuning used) in results.json
    naive_clef: bool = True
    seed: int = 20240729
    cache: Path | None = None               # None: bench/.cache

    @classmethod
    def tiny(cls) -> "Config":
        """A few claims and questions: checks that every section runs, measures nothing worth reading."""
        return cls(sizes=(60, 200), queries=8, repeats=1, naive_queries={60: 2, 200: 2}, memory_size=300,
                   store_size=120, edits=2, e2e_size=120, e2e_updates=6, clef_claims=400, clef_queries=6,
                   clef_train=False, naive_clef=True)
