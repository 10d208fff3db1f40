"""README.md and docs/: every relative link leads to a file of the repository, so it works in any clone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_stay_in_the_repository_and_exist(page):
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(REPO), f"{page.name}: {target} points outside the repository"
        assert path.exists(), f"{page.name}: {target} does not exist"


def test_the_moderator_session_replays_as_written(tmp_path):
    """docs/moderator-session.md: its '>' lines piped into the console give its transcript, dates aside.
    To write it again after a change of wording, run the command line the page gives and paste the output."""
    from helpers.proc import run_bot
    page = (REPO / "docs" / "moderator-session.md").read_text(encoding="utf-8")
    transcript = page.split("```\n")[1]
    lines = re.findall(r"^> (.*)$", transcript, flags=re.M)
    result = run_bot("--moderator", "--echo", "--lang", "en", "--db", str(tmp_path / "demo" / "claims.json"),
                     cwd=tmp_path, input="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr

    def undated(text: str) -> list[str]:
        return re.sub(r"\d{4}-\d\d-\d\d( \d\d:\d\d UTC)?", "DATE", text).strip("\n").splitlines()

    assert len(lines) >= 30 and undated(result.stdout) == undated(transcript)
