"""Find the files of a project, parse them and validate each document against its kind's model."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from teamcomms.definitions.common import Definition, Location
from teamcomms.definitions.confine import OUTSIDE_HINT, outside_reason
from teamcomms.definitions.kinds import KINDS, MODELS
from teamcomms.definitions.messages import suggest, validation_problems
from teamcomms.definitions.project_file import PROJECT_FILE, ProjectConfig
from teamcomms.definitions.yaml_source import (
    Document,
    PathKey,
    display_name,
    load_documents,
    real_path,
)
from teamcomms.errors import Problem

SECRET_KEYS = frozenset(
    {
        "token",
        "password",
        "passwd",
        "secret",
        "apikey",
        "api_key",
        "api_token",
        "apitoken",
        "access_token",
        "auth_token",
        "client_secret",
        "private_key",
        "pat",
        "personal_access_token",
        "credentials",
    }
)
ENVIRONMENT_HINT = (
    "credentials come from the environment: TEAMCOMMS_EMAIL and TEAMCOMMS_API_TOKEN (Cloud) "
    "or TEAMCOMMS_PAT (Data Center); remove the key from the file"
)
# Besides these, hidden files and folders (.github, .pre-commit-config.yaml) are never loaded.
_SKIPPED_DIRS = frozenset({"venv", "node_modules", "__pycache__"})


@dataclass(frozen=True)
class Loaded:
    """A validated definition together with the document it came from (for positions)."""

    definition: Definition
    document: Document


@dataclass
class LoadResult:
    """Everything the loader found, before cross-checks."""

    root: Path
    config: ProjectConfig = field(default_factory=ProjectConfig)
    loaded: list[Loaded] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    invalid: set[tuple[str, str]] = field(default_factory=set)
    """``(kind, name)`` of definitions that failed validation; references to them are not
    reported as missing, since the definition's own error already says what is wrong."""


def is_secret_key(key: str) -> bool:
    """Whether a mapping key names a credential (``api_token``, ``Password``, ``client-secret``)."""
    normal = key.strip().lower().replace("-", "_")
    return normal in SECRET_KEYS or normal.endswith(("_token", "_password", "_secret"))


def _secret_paths(value: Any, path: PathKey = ()) -> Iterator[PathKey]:
    if isinstance(value, dict):
        for key, item in value.items():
            if is_secret_key(key):
                yield (*path, key)
            else:
                yield from _secret_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secret_paths(item, (*path, index))


def _without(data: dict[str, Any], paths: list[PathKey]) -> dict[str, Any]:
    """A copy of ``data`` with the given keys removed (so they are not reported twice)."""

    def prune(value: Any, path: PathKey) -> Any:
        if isinstance(value, dict):
            return {
                key: prune(item, (*path, key))
                for key, item in value.items()
                if (*path, key) not in paths
            }
        if isinstance(value, list):
            return [prune(item, (*path, index)) for index, item in enumerate(value)]
        return value

    result: dict[str, Any] = prune(data, ())
    return result


def _label(data: dict[str, Any], kind: str, document: Document) -> str:
    name = data.get("name")
    if isinstance(name, str) and name:
        return f"{kind} '{name}'"
    return f"{kind} (document {document.number})"


def _secret_problems(document: Document, label: str | None) -> tuple[list[Problem], list[PathKey]]:
    paths = list(_secret_paths(document.data))
    problems = [
        document.problem(
            path,
            f"'{path[-1]}' looks like a credential; definitions never hold secrets",
            definition=label,
            hint=ENVIRONMENT_HINT,
            key=True,
        )
        for path in paths
    ]
    return problems, paths


def _validate(
    model: type[BaseModel], document: Document, label: str | None, context: dict[str, Any]
) -> tuple[BaseModel | None, list[Problem]]:
    problems, secrets = _secret_problems(document, label)
    data = _without(document.data, secrets)
    if "source" in data:
        data = {key: value for key, value in data.items() if key != "source"}
        problems.append(
            document.problem(("source",), "unknown key 'source'", definition=label, key=True)
        )
    try:
        instance = model.model_validate(data, context=context)
    except ValidationError as error:
        return None, [*problems, *validation_problems(error, document, model, label)]
    return instance, problems


def load_config(path: Path) -> tuple[ProjectConfig | None, list[Problem]]:
    """Read and validate a ``teamcomms.yaml``."""
    documents, problems = load_documents(path)
    if problems or not documents:
        return None, problems
    if len(documents) > 1:
        return None, [
            documents[1].problem(
                (),
                "the project file holds one document",
                hint="move definitions into their own files",
            )
        ]
    document = documents[0]
    if not isinstance(document.data, dict):
        return None, [document.problem((), "the project file must be a mapping of keys")]
    if "kind" in document.data:
        return None, [
            document.problem(
                ("kind",),
                f"{PROJECT_FILE} is the project file and has no 'kind'",
                hint=f"move definitions to another file next to {PROJECT_FILE}",
                key=True,
            )
        ]
    config, problems = _validate(ProjectConfig, document, "project file", {})
    return (config if isinstance(config, ProjectConfig) else None), problems


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    for pattern in patterns:
        if fnmatch.fnmatch(relative, pattern):
            return True
        # "**/*.yaml" should also match files at the top level, as globbing does.
        if pattern.startswith("**/") and fnmatch.fnmatch(relative, pattern[3:]):
            return True
    return False


def project_files(root: Path, config: ProjectConfig) -> list[Path]:
    """The definition files of a project folder, per ``include`` and ``exclude``, sorted."""
    found: list[Path] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        hidden = any(part.startswith(".") for part in relative.parts)
        if hidden or any(part in _SKIPPED_DIRS for part in relative.parts[:-1]):
            continue
        if not path.is_file():
            continue
        text = relative.as_posix()
        if text == PROJECT_FILE or not _matches(text, config.include):
            continue
        if not _matches(text, config.exclude):
            found.append(path)
    return found


def _inside(found: list[Path], folder: Path, problems: list[Problem]) -> list[Path]:
    """The files of ``found`` inside ``folder`` after following links; a problem for each other."""
    kept = []
    for path in found:
        reason = outside_reason(path, folder)
        if reason is None:
            kept.append(path)
        else:
            message = f"definition file {reason}; it is not loaded"
            problems.append(Problem(display_name(path), message=message, hint=OUTSIDE_HINT))
    return kept


def _definition(document: Document, context: dict[str, Any]) -> tuple[Loaded | None, list[Problem]]:
    data = document.data
    if not isinstance(data, dict):
        return None, [
            document.problem(
                (),
                "a definition must be a mapping of keys, starting with 'kind:'",
                hint=f"start the document with 'kind: ' and one of: {', '.join(KINDS)}",
            )
        ]
    kind = data.get("kind")
    if kind is None:
        return None, [
            document.problem(
                (),
                "missing required key 'kind'",
                hint=f"add 'kind: ' with one of: {', '.join(KINDS)}",
            )
        ]
    if not isinstance(kind, str) or kind not in MODELS:
        guess = suggest(str(kind), KINDS)
        return None, [
            document.problem(
                ("kind",),
                f"unknown kind '{kind}'" + (f": did you mean '{guess}'?" if guess else ""),
                hint=f"kind is one of: {', '.join(KINDS)}",
            )
        ]
    label = _label(data, kind, document)
    model, problems = _validate(MODELS[kind], document, label, context)
    if not isinstance(model, Definition):
        return None, problems
    start = document.position(())
    keys = tuple(
        (str(path[0]), where.line, where.column)
        for path, where in document.keys.items()
        if len(path) == 1
    )
    source = Location(
        file=document.file.absolute(), line=start.line, column=start.column, keys=keys
    )
    return Loaded(model.model_copy(update={"source": source}), document), problems


def _find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def load_files(paths: Sequence[Path]) -> LoadResult:
    """Load a project folder, or individual files (using the nearest ``teamcomms.yaml``)."""
    paths = list(paths) or [Path()]
    folders = [path for path in paths if path.is_dir()]
    config_path: Path | None = None
    if folders:
        candidate = folders[0] / PROJECT_FILE
        config_path = candidate if candidate.is_file() else None
    else:
        named = [path for path in paths if path.name == PROJECT_FILE]
        config_path = named[0] if named else _find_config(paths[0].absolute().parent)
    result = LoadResult(root=(config_path.parent if config_path else paths[0]).absolute())
    if config_path is not None:
        config, problems = load_config(config_path)
        result.problems.extend(problems)
        result.config = config or ProjectConfig()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = project_files(path, result.config)
            if not (path / PROJECT_FILE).is_file():
                # An empty folder is most likely the wrong folder: passing it would hide that.
                result.problems.append(
                    Problem(
                        display_name(path),
                        message=f"no {PROJECT_FILE} in this folder; using the defaults"
                        if found
                        else f"no {PROJECT_FILE} and no definition files in this folder",
                        hint="run `teamcomms init` to create one"
                        if found
                        else "run the command in your project folder (or pass its path), "
                        "or create a project there with `teamcomms init`",
                        severity="warning" if found else "error",
                    )
                )
            files.extend(_inside(found, path, result.problems))
        elif path.exists() or path.is_symlink():
            if path.name != PROJECT_FILE:
                files.append(path)
        else:
            result.problems.append(
                Problem(
                    display_name(path),
                    message="no such file or folder",
                    hint="check the path, or run `teamcomms init DIR` to start a project",
                )
            )
    context = {
        "default_space": result.config.defaults.space,
        "default_project": result.config.defaults.project,
        # Without `teams:` in the project file, checklists may name any team (nothing to check
        # against) and item owners the default teams.
        "teams": tuple(result.config.teams) if "teams" in result.config.model_fields_set else None,
    }
    seen: set[Path] = set()
    for path in files:
        if real_path(path) in seen:
            continue
        seen.add(real_path(path))
        documents, problems = load_documents(path)
        result.problems.extend(problems)
        for document in documents:
            loaded, problems = _definition(document, {**context, "base_dir": path.parent})
            result.problems.extend(problems)
            if loaded is not None:
                result.loaded.append(loaded)
            elif isinstance(document.data, dict):
                kind, name = document.data.get("kind"), document.data.get("name")
                if isinstance(kind, str) and isinstance(name, str):
                    result.invalid.add((kind, name))
    return result
