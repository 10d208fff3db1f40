"""Security that does not depend on who moderates: YAML read as plain data only, size and count limits on
claim files (command line and Telegram /import), files nested too deeply; nothing executed, nothing changed."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import io
from knowledge.io import FileFormatError, parse_items, read_items
from knowledge.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent

EVIL_YAML = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "claims:\n  - !!python/object/apply:os.system ['touch {marker}']",
    "claims: !!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "- id: x\n  text: !!python/name:os.system\n  link: explicit",
    "- !!python/object:knowledge.model.Claim {{id: x}}",
    "- !!python/module:os",
]


@pytest.mark.parametrize("document", EVIL_YAML)
def test_yaml_that_builds_python_objects_is_refused_and_never_run(tmp_path, document):
    marker = tmp_path / "executed"
    with pytest.raises(FileFormatError, match=r"refused: .*python.*plain data only"):
        parse_items(document.format(marker=marker), "yaml", "evil.yaml")
    assert not marker.exists()


def test_only_safe_yaml_loading_in_the_code():
    """yaml.load, full_load, unsafe_load or a Loader= argument anywhere would build objects from tags."""
    unsafe = re.compile(r"yaml\.(load|full_load|unsafe_load|load_all|full_load_all|unsafe_load_all)\(|Loader\s*=")
    sources = [*ROOT.glob("knowledge/**/*.py"), *ROOT.glob("bot/**/*.py"), ROOT / "run_bot.py"]
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sources
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if unsafe.search(line)]
    assert len(sources) > 20 and found == []


def knowledge_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "knowledge", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_command_line_refuses_an_evil_file_and_changes_nothing(tmp_path):
    marker, db = tmp_path / "executed", tmp_path / "claims.json"
    evil = tmp_path / "evil.yaml"
    evil.write_text(EVIL_YAML[1].format(marker=marker), encoding="utf-8")
    ClaimStore(db).close()
    assert knowledge_cli("export", str(tmp_path / "before.json"), "--db", str(db)).returncode == 0
    before = digest(db)
    for command in (["import", str(evil), "--db", str(db)], ["validate", str(evil)]):
        done = knowledge_cli(*command)
        assert done.returncode != 0 and "refused" in done.stderr and "plain data only" in done.stderr
        assert "Traceback" not in done.stderr
    assert not marker.exists() and digest(db) == before


def test_files_nested_too_deeply_are_refused_clearly():
    for kind, text in (("json", "[" * 100_000 + "]" * 100_000), ("yaml", "[" * 100_000 + "]" * 100_000),
                       ("jsonl", '{"id": "a"}\n' + "[" * 100_000 + "]" * 100_000)):
        with pytest.raises(FileFormatError, match="nested too deeply"):
            parse_items(text, kind, f"deep.{kind}")


def test_size_and_count_limits(tmp_path, monkeypatch):
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: 50 MiB + 1 byte without writing them
        handle.truncate(io.MAX_FILE_BYTES + 1)
    with pytest.raises(FileFormatError, match=r"big\.json: larger than 50 MiB"):
        read_items(big)
    done = knowledge_cli("import", str(big), "--db", str(tmp_path / "claims.json"))
    assert done.returncode != 0 and "larger than 50 MiB" in done.stderr and "Traceback" not in done.stderr
    monkeypatch.setattr(io, "MAX_CLAIMS", 3)
    with pytest.raises(FileFormatError, match="more than 3 claims"):
        parse_items("[{}, {}, {}, {}]", "json", "many.json")
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 10)
    with pytest.raises(FileFormatError, match="larger than"):
        parse_items("- id: a-long-enough-document", "yaml", "small.yaml")


def test_yaml_aliases_do_not_blow_up():
    """A 'billion laughs' document: safe_load shares the aliased lists, and the claims are refused as data."""
    lines = ["a: &a ['lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol']"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, "
                     f"*{previous}, *{previous}, *{previous}, *{previous}]")
    lines.append("claims: [{id: x, text: *i, link: explicit, aliases: *i}]")
    items = parse_items("\n".join(lines), "yaml", "laughs.yaml")
    from knowledge.model import ClaimError, claim_from_dict
    with pytest.raises(ClaimError, match="text"):
        claim_from_dict(items[0])


# --- the same through Telegram: a moderator's /import ----------------------------------------------

from test_moderation import MOD, harness, make_settings, texts  # noqa: E402


async def test_telegram_import_refuses_an_evil_or_oversized_file_and_changes_nothing(tmp_path):
    marker = tmp_path / "executed"
    async with harness(make_settings(tmp_path)) as bot:
        before = bot.snapshot()
        evil = bot.request.add_file("evil", EVIL_YAML[1].format(marker=marker).encode(), "evil.yaml")
        calls = await bot.send(document=evil, caption="/import", user=MOD)
        assert "refused" in texts(calls) and "plain data only" in texts(calls)
        huge = {"file_id": "huge", "file_unique_id": "u-huge", "file_name": "base.yaml", "file_size": 21 * 1024 ** 2}
        calls = await bot.send(document=huge, user=MOD)  # still waiting for a file
        assert "larger than 20 MB" in texts(calls) and not any(c.method == "getFile" for c in calls)
        deep = bot.request.add_file("deep", b"[" * 100_000 + b"]" * 100_000, "deep.json")
        assert "nested too deeply" in texts(await bot.send(document=deep, user=MOD))
        assert bot.snapshot() == before and not marker.exists() and not bot.settings.backups.exists()
