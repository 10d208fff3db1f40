"""Shared fixtures: a small claim base on a temporary store, and the bot wired to a recording request.

Hypothesis profiles: the default in `make test`; "stress" (HYPOTHESIS_PROFILE=stress) in `make stress`.
"""

from __future__ import annotations

import os
from pathlib import Path

import hypothesis
import pytest

from bot.app import build_application
from bot.offline import RecordingRequest
from bot.settings import Settings
from knowledge.base import ClaimBase
from knowledge.model import Claim, claims_from_data
from knowledge.store import ClaimStore

from helpers.claims import small_base

hypothesis.settings.register_profile("stress", max_examples=1000, deadline=None)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def claims() -> list[Claim]:
    """The small test base as Claim objects."""
    return claims_from_data(small_base())


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "claims.json"


@pytest.fixture
def store(store_path: Path, claims: list[Claim]):
    s = ClaimStore(store_path, seed=claims)
    yield s
    s.close()


@pytest.fixture
def base(store: ClaimStore) -> ClaimBase:
    return ClaimBase(store)


@pytest.fixture
def settings(tmp_path: Path, store_path: Path) -> Settings:
    return Settings(token=None, db_path=store_path, questions_path=tmp_path / "questions.jsonl",
                    bot_username="claimbot", rate_limit=False)


@pytest.fixture
def request_recorder() -> RecordingRequest:
    return RecordingRequest("claimbot")


@pytest.fixture
async def app(settings: Settings, request_recorder: RecordingRequest, base: ClaimBase):
    """The initialized Application over the small base; calls made while initializing are kept."""
    application = build_application(settings, request=request_recorder, base=base)
    async with application:
        yield application
