"""YAML read with the line of every key, and checked against course_schema.json with messages an
author can act on ("title.ja: is required", "unknown key; did you mean 'goals'?")."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from app.lessons.course_files.folder import CourseFileError

SCHEMA_FILE = Path(__file__).with_name("course_schema.json")

JsonPath = tuple[str | int, ...]


# --- YAML with line numbers --------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    line: int  # of the key (for a mapping's value) or of the node
    text_line: int  # where a literal block scalar's text starts
    literal: bool


@dataclass
class Document:
    """One parsed YAML file: its data and the line of each key and list entry."""

    file: str
    data: Any
    nodes: dict[JsonPath, _Node]

    def line(self, path: JsonPath) -> int:
        """The line of `path`, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            node = self.nodes.get(path[:end])
            if node is not None:
                return node.line
        return 1

    def at(self, path: JsonPath, message: str) -> CourseFileError:
        return CourseFileError(self.file, self.line(path), at_path(path, message))


def _node(line: int, value: yaml.Node) -> _Node:
    literal = isinstance(value, yaml.ScalarNode) and value.style == "|"
    return _Node(line, value.start_mark.line + 2, literal)


def _index(node: yaml.Node, path: JsonPath, doc: Document, errors: list[CourseFileError]) -> None:
    """Record the line of every key and list entry under `node`; report duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key, line = key_node.value, key_node.start_mark.line + 1
            child = (*path, key)
            if key in seen:
                errors.append(
                    CourseFileError(
                        doc.file,
                        line,
                        at_path(child, f"the key appears twice (also on line {seen[key]})"),
                    )
                )
                continue
            seen[key] = line
            doc.nodes[child] = _node(line, value_node)
            _index(value_node, child, doc, errors)
    elif isinstance(node, yaml.SequenceNode):
        for number, entry in enumerate(node.value):
            child = (*path, number)
            doc.nodes[child] = _node(entry.start_mark.line + 1, entry)
            _index(entry, child, doc, errors)


def parse(path: Path, name: str, errors: list[CourseFileError]) -> Document | None:
    """Parse one YAML file, keeping the line of each node; None (and an error) if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append(CourseFileError(name, 0, "is not UTF-8 text"))
        return None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            errors.append(CourseFileError(name, 0, "is empty"))
            return None
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem += f" ({exc.context})"
        errors.append(CourseFileError(name, mark.line + 1 if mark else 0, f"YAML: {problem}"))
        return None
    except yaml.YAMLError as exc:
        errors.append(CourseFileError(name, 0, f"YAML: {exc}"))
        return None
    finally:
        loader.dispose()
    doc = Document(name, data, {(): _node(root.start_mark.line + 1, root)})
    _index(root, (), doc, errors)
    return doc


# --- messages ----------------------------------------------------------------------------------


def _format_path(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def at_path(path: JsonPath, message: str) -> str:
    """The message prefixed with where it applies (title.ja: …)."""
    return f"{_format_path(path)}: {message}" if path else message


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


_TYPE_NAMES = {
    "string": "a text",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
}


def _explain(error: ValidationError) -> Iterator[tuple[JsonPath, str]]:
    """Turn a JSON Schema error into (path, message) pairs an author can act on."""
    path: JsonPath = tuple(error.absolute_path)
    instance, expected = error.instance, error.validator_value
    if error.validator == "required" and isinstance(instance, dict):
        for name in expected:
            if name not in instance and error.message.startswith(repr(name)):
                yield (*path, name), "is required"
    elif error.validator == "additionalProperties" and isinstance(instance, dict):
        known = list(error.schema.get("properties", {}))
        for key in instance:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = (
                f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(known)}"
            )
            yield (*path, key), f"unknown key; {hint}"
    elif error.validator == "type":
        message = f"must be {_TYPE_NAMES.get(str(expected), expected)}, not {_describe(instance)}"
        if expected == "string" and instance is not None and not isinstance(instance, list | dict):
            message += " (put the text in quotes)"
        yield path, message
    elif error.validator == "enum":
        yield path, f"must be one of {', '.join(map(str, expected))}, not {instance!r}"
    elif error.validator == "minLength":
        yield path, "must not be empty"
    elif error.validator == "maxLength":
        yield path, f"is too long ({len(instance)} characters; at most {expected})"
    elif error.validator == "pattern":
        yield (
            path,
            f"{instance!r} is not a slug (lower-case ASCII letters and digits, single hyphens)",
        )
    elif error.validator == "uniqueItems":
        yield path, "lists the same entry twice"
    else:
        yield path, error.message


@cache
def _validators() -> dict[str, Draft202012Validator]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return {
        kind: Draft202012Validator({**schema, "$ref": f"#/$defs/{kind}"})
        for kind in ("course", "lesson")
    }


def schema_errors(doc: Document, kind: str) -> list[CourseFileError]:
    """Every way the document breaks the schema of a course or lesson file, with its line."""
    return [
        doc.at(path, message)
        for error in _validators()[kind].iter_errors(doc.data)
        for path, message in _explain(error)
    ]
