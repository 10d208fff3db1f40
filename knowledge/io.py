"""Read and write claim files: YAML, JSON (a list or {claims: [...]}, with an optional exported_at) and JSON
lines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import yaml

from .model import Claim
from .storage import atomic_write_text

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CLAIMS = 200_000


class FileFormatError(ValueError):
    """A claim file cannot be read as a list of claims."""


@dataclass(frozen=True)
class ClaimFile:
    """A claim file's raw records, the line each starts on (None where unknown), and when it was exported
    (the top-level exported_at an export writes beside `claims`; None in a file without it)."""

    items: list[Any]
    lines: list[int | None]
    exported_at: datetime | None = None


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
    parsed = parse_file(text, kind, name)
    return parsed.items, parsed.lines


def parse_file(text: str, kind: str, name: str = "input") -> ClaimFile:
    """A document's claim records, their lines and its exported_at (see ClaimFile)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise FileFormatError(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    lines: list[int | None] = []
    try:
        if kind == "yaml":
            try:
                data, lines = _load_yaml(text)
            except ValueError as exc:  # an unquoted date that cannot be: 2026-13-05
                raise FileFormatError(f"{name}: not valid YAML: a date or time that does not exist ({exc}); put it "
                                      "in quotes, or correct it") from exc
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
        raise FileFormatError(yaml_problem(name, exc)) from exc
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"{name}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise FileFormatError(f"{name}: nested too deeply to be a claim file") from exc
    exported_at = None
    if isinstance(data, dict) and "claims" in data:
        exported_at = _exported_at(data.get("exported_at"), name)
        data = data["claims"]
    if data is None:
        data = []
    if not isinstance(data, list):
        raise FileFormatError(f"{name}: expected a list of claims or an object with 'claims'")
    if len(data) > MAX_CLAIMS:
        raise FileFormatError(f"{name}: more than {MAX_CLAIMS} claims")
    if len(lines) != len(data):
        lines = [None] * len(data)
    return ClaimFile(data, lines, exported_at)


def export_stamp(moment: datetime) -> str:
    """exported_at as an export writes it: UTC to the second, 2026-01-15T14:03:07Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _exported_at(value: Any, name: str) -> datetime | None:
    """A file's exported_at as an aware UTC time (a time without a zone is taken as UTC, as exports write it)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else None  # YAML reads an unquoted timestamp as one
    if isinstance(value, str) and len(value.strip()) > 10:  # a whole day tells no more than updated_at does
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    if moment is None:
        raise FileFormatError(f"{name}: exported_at {str(value)[:40]!r} is not a time such as 2026-01-15T14:03:07Z; "
                              "it says when the file was exported (remove it if unsure: older versions are then "
                              "told by their updated_at days)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


# PyYAML's token and context names, in the words of someone editing a claim file
_YAML_TOKENS = {
    "<block end>": "the end of the indented block", "<block mapping start>": "a 'key: value' indented differently",
    "<block sequence start>": "a '- ' item indented differently", "<block entry>": "a '- ' item",
    "<stream end>": "the end of the file", "<document start>": "'---'", "<scalar>": "a value", "<alias>": "an alias",
    "<flow mapping start>": "'{'", "<flow mapping end>": "'}'", "<flow sequence start>": "'['",
    "<flow sequence end>": "']'", "<flow entry>": "','", "<key>": "a key", "<value>": "a value", "<anchor>": "'&'",
}
_YAML_CONTEXTS = {
    "while parsing a block collection": "the list that starts", "while parsing a block mapping": "the mapping that starts",
    "while parsing a flow sequence": "the [ ] list that starts", "while parsing a flow mapping": "the { } mapping that starts",
    "while scanning a quoted scalar": "the quoted text that starts", "while scanning a simple key": "the key that starts",
    "while scanning a block scalar": "the block of text that starts", "while parsing a block node": "the value that starts",
    "while parsing a flow node": "the value that starts", "while scanning an alias": "the alias that starts",
    "while scanning an anchor": "the anchor that starts",
}


def yaml_problem(name: str, exc: yaml.YAMLError) -> str:
    """'claims.yaml, line 3, column 4: not valid YAML: expected …, but found … (in … on line 2)': PyYAML's
    message without its '<unicode string>' marks and token names."""
    problem = str(getattr(exc, "problem", None) or "cannot be read")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if "'\\t'" in problem and "cannot start any token" in problem:
        return f"{name}{where}: not valid YAML: a tab character; YAML indents with spaces only"
    if context == "expected a single document in the stream":
        return f"{name}{where}: not valid YAML: a second document ('---'); a claim file holds one"
    problem = (problem.replace("found unexpected end of stream", "the file ends before it is closed")
               .replace("mapping values are not allowed here",
                        "a ': ' where no key can start; put a value that holds ': ' in quotes (text: \"a: b\")"))
    for token, words in _YAML_TOKENS.items():
        problem = problem.replace(f"'{token}'", words).replace(token, words)
    if context in _YAML_CONTEXTS and context_mark is not None and context_mark is not mark:
        problem += f" (in {_YAML_CONTEXTS[context]} on line {context_mark.line + 1})"
    if "indented" in problem or "did not find expected" in problem:
        problem += "; check the indentation"
    return f"{name}{where}: not valid YAML: {problem}"


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
    parsed = read_claim_file(path)
    return parsed.items, parsed.lines


def read_claim_file(path: str | Path) -> ClaimFile:
    """A claim file's records, their lines and its exported_at (see ClaimFile)."""
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
    return parse_file(text, kind, str(path))


class _Dumper(yaml.SafeDumper):
    """PyYAML writes U+0085, U+2028 and U+2029 raw inside quoted scalars and reads them back as line
    breaks; double quotes make it escape them (\\N, \\L, \\P)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if any(ch in value for ch in "\x85\u2028\u2029"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def dump_claims(claims: Iterable[Claim], kind: str, exported_at: datetime | None = None) -> str:
    """The claims as a file of that kind; with exported_at, YAML and JSON say when (JSON lines have no place for
    it: each line is a claim)."""
    records = [c.to_dict() for c in claims]
    document: dict[str, Any] = {"exported_at": export_stamp(exported_at)} if exported_at is not None else {}
    document["claims"] = records
    if kind == "yaml":
        return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    if kind == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_claims(path: str | Path, claims: Iterable[Claim], exported_at: datetime | None = None) -> None:
    atomic_write_text(Path(path), dump_claims(claims, file_kind(path), exported_at))
