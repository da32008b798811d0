"""Turn pydantic validation errors into problems located in the YAML the user wrote."""

from __future__ import annotations

import difflib
import types
from dataclasses import replace
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from teamcomms.definitions.common import DefinitionValueError
from teamcomms.definitions.yaml_source import Document, PathKey, format_path
from teamcomms.errors import Problem


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The choice closest to ``word`` (for "did you mean"), if any is close enough."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def model_keys(model: type[BaseModel]) -> list[str]:
    """The YAML keys a model accepts (aliases where set), without the loader's ``source``."""
    return [info.alias or name for name, info in model.model_fields.items() if name != "source"]


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types behind ``Annotated`` and unions."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        found: list[Any] = []
        for arg in get_args(annotation):
            found.extend(_unwrap(arg))
        return found
    return [annotation]


def _step(current: list[Any], part: str | int) -> list[Any]:
    following: list[Any] = []
    for candidate in current:
        origin = get_origin(candidate)
        if isinstance(part, int) and origin in (tuple, list):
            following.extend(_unwrap(get_args(candidate)[0]))
        elif isinstance(part, str) and origin is dict:
            following.extend(_unwrap(get_args(candidate)[1]))
        elif (
            isinstance(part, str)
            and isinstance(candidate, type)
            and issubclass(candidate, BaseModel)
        ):
            for name, info in candidate.model_fields.items():
                if part in (name, info.alias):
                    following.extend(_unwrap(info.annotation))
    return following


def keys_at(model: type[BaseModel], path: PathKey) -> list[str]:
    """The keys allowed in the mapping at ``path`` of a document validated by ``model``."""
    current: list[Any] = [model]
    for part in path:
        current = _step(current, part)
    keys: list[str] = []
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            keys.extend(key for key in model_keys(candidate) if key not in keys)
    return keys


def _has(value: Any, part: str | int) -> bool:
    if isinstance(value, dict):
        return isinstance(part, str) and part in value
    return isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)


def _document_path(document: Document, loc: tuple[int | str, ...], keep_last: bool) -> PathKey:
    """Drop the parts of a pydantic location that are not in the YAML (union tags, types)."""
    path: list[str | int] = []
    current: Any = document.data
    for index, part in enumerate(loc):
        if _has(current, part):
            current = current[part]
            path.append(part)
        elif keep_last and index == len(loc) - 1:
            path.append(part)
    return tuple(path)


_TYPE_NAMES = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true/false",
    "date": "a date",
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, str):
        return f"'{value}'"
    return f"{value!r} ({type(value).__name__})"


def _expected(error: ErrorDetails) -> list[str]:
    text = str((error.get("ctx") or {}).get("expected", ""))
    return [part.strip(" '") for part in text.replace(" or ", ",").split(",") if part.strip()]


def _message(error: ErrorDetails, key: str | int | None) -> tuple[str, str | None]:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"missing required key '{key}'", None
    if kind in ("literal_error", "enum"):
        choices = _expected(error)
        guess = suggest(str(value), choices)
        message = f"{_describe(value)} is not allowed here: use {ctx.get('expected', '')}"
        return message, f"did you mean '{guess}'?" if guess else None
    if kind == "union_tag_invalid":
        choices = [tag.strip(" '") for tag in str(ctx.get("expected_tags", "")).split(",")]
        guess = suggest(str(ctx.get("tag", "")), choices)
        key = str(ctx.get("discriminator", "type")).strip("'")
        return (
            f"unknown {key} '{ctx.get('tag')}': use {ctx.get('expected_tags', '')}",
            f"did you mean '{guess}'?" if guess else None,
        )
    if kind == "union_tag_not_found":
        return (
            f"missing required key {ctx.get('discriminator', 'type')}",
            None,
        )
    if kind == "string_type":
        return f"expected text, got {_describe(value)}", "put the value in quotes"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {_describe(value)}", "write [a, b] or one '- item' per line"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping, got {_describe(value)}", "write 'key: value' lines under it"
    if kind == "too_short":
        return "must not be empty", None
    if kind == "string_too_short":
        return "must not be empty", None
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_describe(value)}", None
    if kind.startswith("date"):
        return f"expected a date, got {_describe(value)}", "write the date as YYYY-MM-DD"
    if kind == "value_error":
        cause = ctx.get("error")
        hint = cause.hint if isinstance(cause, DefinitionValueError) else None
        return str(cause) if cause is not None else error["msg"], hint
    return f"{error['msg']} (got {_describe(value)})", None


def validation_problems(
    error: ValidationError, document: Document, model: type[BaseModel], label: str | None
) -> list[Problem]:
    """One problem per pydantic error, at the line and column of the offending key or value."""
    problems: list[Problem] = []
    union_members: dict[PathKey, tuple[list[str], Any]] = {}
    errors = error.errors(include_url=False)
    for details in errors:
        loc = tuple(details["loc"])
        kind = details["type"]
        if kind == "too_short" and any(
            len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc
            for other in errors
        ):
            # pydantic counts only the valid items; the invalid ones are already reported.
            continue
        if kind == "extra_forbidden":
            path = _document_path(document, loc, keep_last=True)
            key = str(path[-1]) if path else str(loc[-1])
            allowed = keys_at(model, path[:-1])
            guess = suggest(key, allowed)
            problems.append(
                document.problem(
                    path,
                    f"unknown key '{key}'" + (f": did you mean '{guess}'?" if guess else ""),
                    definition=label,
                    hint=None if guess else f"allowed keys here: {', '.join(allowed)}",
                    key=True,
                )
            )
            continue
        path = _document_path(document, loc, keep_last=kind == "missing")
        last = loc[-1] if loc else None
        if len(path) < len(loc) and isinstance(last, str) and kind != "missing":
            if last in keys_at(model, path):
                path = (*path, last)
            elif kind.endswith(("_type", "_parsing")):
                # One member of a union (str | int | ...): report the union once, below.
                union_members.setdefault(path, ([], details.get("input")))[0].append(last)
                continue
        cause = (details.get("ctx") or {}).get("error")
        if isinstance(cause, DefinitionValueError) and cause.at:
            path = _document_path(document, (*path, *cause.at), keep_last=False)
        message, hint = _message(details, last)
        where = path[:-1] if kind == "missing" else path
        problem = document.problem(where, message, definition=label, hint=hint)
        if kind == "missing":
            problem = replace(problem, path=format_path(path))
        problems.append(problem)
    for path, (members, value) in union_members.items():
        names = list(dict.fromkeys(_TYPE_NAMES.get(member, member) for member in members))
        expected = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
        problems.append(
            document.problem(path, f"expected {expected}, got {_describe(value)}", definition=label)
        )
    return problems
