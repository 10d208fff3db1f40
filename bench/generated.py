"""Questions made from the curated base itself, used beside the evaluation set to choose weights and
thresholds: each claim's text quoted between two unrelated lines (a forwarded post, a pasted message
with a comment: issue 5's groups and channels), expecting that claim. The unrelated lines are the
evaluation set's off-topic questions. Nothing is added to the base or to the evaluation set.
"""

from __future__ import annotations

from typing import Sequence

from knowledge.model import Claim

FAMILY_SIZE = 40


def thin(items: list, size: int = FAMILY_SIZE) -> list:
    """At most size items, spread evenly over the list (so that generated questions do not outweigh the
    evaluation set)."""
    if len(items) <= size:
        return items
    step = len(items) / size
    return [items[int(i * step)] for i in range(size)]


def quoted(claims: Sequence[Claim], chatter: Sequence[str]) -> list[tuple[str, frozenset[str]]]:
    """Each claim text between two lines of chatter, thinned to FAMILY_SIZE."""
    out = []
    for i, claim in enumerate(claims):
        for j, text in enumerate(claim.text.values()):
            before, after = chatter[(2 * i + j) % len(chatter)], chatter[(2 * i + j + 7) % len(chatter)]
            out.append((f"{before}\n{text}\n{after}", frozenset([claim.id])))
    return thin(out)
