"""Read and write claim files: YAML, JSON (a list or {claims: [...]}) and JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

import yaml

from .model import Claim
from .storage import atomic_write_text

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CLAIMS = 200_000


class FileFormatError(ValueError):
    """A claim file cannot be read as a list of claims."""


def file_kind(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    raise FileFormatError(f"{path}: unknown file type {suffix or '(none)'}; use .yaml, .yml, .json or .jsonl")


def parse_items(text: str, kind: str, name: str = "input") -> list[Any]:
    """The raw claim records of a document."""
    return parse_located(text, kind, name)[0]


def parse_located(text: str, kind: str, name: str = "input") -> tuple[list[Any], list[int | None]]:
    """The raw claim records of a document, and the line (from 1) each starts on, None where unknown."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise FileFormatError(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    lines: list[int | None] = []
    try:
        if kind == "yaml":
            data, lines = _load_yaml(text)
        elif kind == "json":
            data = json.loads(text)
        else:
            data = []
            # "\n" only: str.splitlines also cuts at U+2028, U+0085..., which JSON strings may hold
            for number, line in enumerate(text.split("\n"), 1):
                if line.strip():
                    try:
                        data.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise FileFormatError(f"{name}, line {number}: not valid JSON ({exc.msg})") from exc
                    lines.append(number)
    except yaml.constructor.ConstructorError as exc:  # !!python/object and the like: safe_load builds none
        where = f", line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        raise FileFormatError(f"{name}{where}: refused: {exc.problem}; a claim file holds plain data only "
                              "(texts, lists, mappings), no YAML tags that build objects") from exc
    except yaml.YAMLError as exc:
        raise FileFormatError(f"{name}: not valid YAML ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"{name}: not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise FileFormatError(f"{name}: nested too deeply to be a claim file") from exc
    if isinstance(data, dict) and "claims" in data:
        data = data["claims"]
    if data is None:
        data = []
    if not isinstance(data, list):
        raise FileFormatError(f"{name}: expected a list of claims or an object with 'claims'")
    if len(data) > MAX_CLAIMS:
        raise FileFormatError(f"{name}: more than {MAX_CLAIMS} claims")
    if len(lines) != len(data):
        lines = [None] * len(data)
    return data, lines


def _load_yaml(text: str) -> tuple[Any, list[int | None]]:
    """yaml.safe_load, keeping the line each claim record starts on (from the composed node tree)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    if isinstance(node, yaml.MappingNode):  # {claims: [...]}
        node = next((v for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode) and k.value == "claims"),
                    None)
    if not isinstance(node, yaml.SequenceNode):
        return data, []
    return data, [item.start_mark.line + 1 for item in node.value]


def read_items(path: str | Path) -> list[Any]:
    return read_located(path)[0]


def read_located(path: str | Path) -> tuple[list[Any], list[int | None]]:
    """The raw claim records of a claim file, and the line each starts on (see parse_located)."""
    path = Path(path)
    kind = file_kind(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileFormatError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise FileFormatError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:  # a folder, no permission...
        raise FileFormatError(f"{path}: cannot be read ({exc.strerror or exc.__class__.__name__})") from exc
    return parse_located(text, kind, str(path))


class _Dumper(yaml.SafeDumper):
    """PyYAML writes U+0085, U+2028 and U+2029 raw inside quoted scalars and reads them back as line
    breaks; double quotes make it escape them (\\N, \\L, \\P)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if any(ch in value for ch in "\x85\u2028\u2029"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def dump_claims(claims: Iterable[Claim], kind: str) -> str:
    records = [c.to_dict() for c in claims]
    if kind == "yaml":
        return yaml.dump({"claims": records}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    if kind == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return json.dumps({"claims": records}, ensure_ascii=False, indent=1) + "\n"


def write_claims(path: str | Path, claims: Iterable[Claim]) -> None:
    atomic_write_text(Path(path), dump_claims(claims, file_kind(path)))
