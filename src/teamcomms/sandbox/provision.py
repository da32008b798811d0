"""Giving the sandbox what a project's definitions assume a site has.

A fresh sandbox holds the starter kit's spaces, projects, issue types and groups
(:mod:`teamcomms.sandbox.seed`). A project of one's own names others (a space ``SOCKS``, a project
``WEB`` with an issue type ``Return``); on a real site an administrator creates those once. On the
sandbox, :func:`provision` creates whatever is missing and returns what it created, so the commands
can say so: nobody should mistake a sandbox that creates spaces on demand for a real site.

It takes plain names (the caller works them out from the definitions; the sandbox never reads
definitions) and only adds: nothing that exists is changed, so running it again creates nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from teamcomms.sandbox.seed import ISSUE_TYPES, SANDBOX_ACCOUNT_ID, _add_project
from teamcomms.sandbox.state import SiteState


@dataclass(frozen=True)
class Provisioned:
    """What :func:`provision` created, each sorted."""

    spaces: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    issue_types: tuple[tuple[str, str], ...] = ()
    """``(project key, issue type name)`` for each issue type a project gained (in a new project
    only those beyond Jira's defaults); ``("", name)`` for a type created without a project."""
    groups: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.spaces or self.projects or self.issue_types or self.groups)

    def describe(self) -> list[str]:
        """One line per kind of object created: ``spaces: SOCKS, WEB``."""
        by_project: dict[str, list[str]] = {}
        for project, name in self.issue_types:
            by_project.setdefault(project, []).append(name)
        types = "; ".join(
            f"{', '.join(names)} in {project}" if project else ", ".join(names)
            for project, names in by_project.items()
        )
        parts = [
            ("spaces", ", ".join(self.spaces)),
            ("Jira projects", ", ".join(self.projects)),
            ("issue types", types),
            ("groups", ", ".join(self.groups)),
        ]
        return [f"{kind}: {names}" for kind, names in parts if names]

    def as_json(self) -> dict[str, object]:
        """The same as plain JSON values."""
        return {
            "spaces": list(self.spaces),
            "projects": list(self.projects),
            "issue_types": [{"project": p or None, "name": n} for p, n in self.issue_types],
            "groups": list(self.groups),
        }


def provision(
    state: SiteState,
    *,
    spaces: Iterable[str] = (),
    projects: Mapping[str, Iterable[str]] | None = None,
    issue_types: Iterable[str] = (),
    groups: Iterable[str] = (),
) -> Provisioned:
    """Create on ``state`` the spaces, Jira projects (``{key: issue type names}``; a new project
    also has Jira's default types), issue types and groups that are missing; return what was
    created. Names are compared as Jira and Confluence do: keys exactly, issue types and groups
    ignoring case. Saves the state file when anything was created."""
    with state.lock:
        made_spaces = [key for key in sorted(set(spaces)) if state.space_by_key(key) is None]
        for key in made_spaces:
            state.add_space(key)
        made_types: list[tuple[str, str]] = []
        made_types += (("", n) for n in _unique(issue_types) if _issue_type_id(state, n) is None)
        for _, name in made_types:
            _add_issue_type(state, name)
        made_projects = []
        for key, wanted in sorted((projects or {}).items()):
            project = state.project_by_key(key)
            if project is None:
                made_projects.append(key)
                defaults = [type_id for type_id, _, _ in ISSUE_TYPES]
                _add_project(state, key, key, defaults)
                project = state.project_by_key(key)
                assert project is not None
            for name in _unique(wanted):
                type_id = _issue_type_id(state, name) or _add_issue_type(state, name)
                if type_id not in project["issueTypeIds"]:
                    project["issueTypeIds"].append(type_id)
                    made_types.append((key, name))
        made_groups = [name for name in _unique(groups) if not _has_group(state, name)]
        for name in made_groups:
            # The sandbox user joins the group, so transitions restricted to it work as that user.
            state.add_group(name, [SANDBOX_ACCOUNT_ID])
        made = Provisioned(
            spaces=tuple(made_spaces),
            projects=tuple(made_projects),
            issue_types=tuple(sorted(made_types)),
            groups=tuple(made_groups),
        )
        if made:
            state.save()
        return made


def _unique(names: Iterable[str]) -> list[str]:
    """Once each ignoring case (as first given), sorted."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.lower(), name)
    return sorted(seen.values())


def _issue_type_id(state: SiteState, name: str) -> str | None:
    types = state.table("issuetypes").values()
    return next((t["id"] for t in types if t["name"].lower() == name.lower()), None)


def _add_issue_type(state: SiteState, name: str) -> str:
    type_id = state.new_id()
    state.table("issuetypes")[type_id] = {
        "id": type_id,
        "name": name,
        "description": "Created by the sandbox for the definitions that use it.",
        "hierarchyLevel": 0,
    }
    return type_id


def _has_group(state: SiteState, name: str) -> bool:
    return any(g["name"].lower() == name.lower() for g in state.table("groups").values())
