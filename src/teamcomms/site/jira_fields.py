"""Jira custom fields, their contexts (which projects and issue types they apply to) and the
options of select-like fields (``/rest/api/3/field``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from teamcomms.site.jira_base import JiraBase
from teamcomms.site.jira_catalogue import RemoteField, field_from_json


@dataclass(frozen=True)
class RemoteOption:
    """An option of a select-like field in one context."""

    id: str
    value: str
    disabled: bool = False


@dataclass(frozen=True)
class RemoteContext:
    """A custom field context: where the field applies, and its options there."""

    id: str
    name: str
    description: str
    project_ids: tuple[str, ...]
    """Empty for a global context."""
    issue_type_ids: tuple[str, ...]
    """Empty for any issue type."""
    options: tuple[RemoteOption, ...] = ()


class JiraFields(JiraBase):
    """Custom fields, contexts and options."""

    def custom_fields(self) -> list[RemoteField]:
        """Every custom field with its description and searcher (``GET /field/search``: the
        plain ``GET /field`` answers no descriptions)."""
        return [
            RemoteField(
                id=str(item["id"]),
                name=str(item.get("name", "")),
                custom=True,
                type=str((item.get("schema") or {}).get("custom") or ""),
                searcher=str(item.get("searcherKey") or ""),
                description=str(item.get("description") or ""),
            )
            for item in self._paged("field/search", {"type": "custom"})
        ]

    def create_field(
        self, name: str, *, type_key: str, searcher: str, description: str
    ) -> RemoteField:
        """``POST /field``: a custom field (Jira gives it a global default context)."""
        data = {"name": name, "type": type_key, "searcherKey": searcher, "description": description}
        return field_from_json(self._post("field", data))

    def update_field(self, field_id: str, *, name: str, description: str) -> None:
        """Rename a custom field or change its description."""
        self._put(f"field/{field_id}", {"name": name, "description": description})

    def delete_field(self, field_id: str) -> None:
        """Move a custom field to the trash (Cloud keeps it there for 60 days)."""
        self._post(f"field/{field_id}/trash", {})

    def contexts(self, field_id: str, *, options: bool) -> list[RemoteContext]:
        """Every context of a field with its projects and issue types, and with its options
        when ``options`` (one request for the contexts, one per mapping kind, one per context's
        options)."""
        found = list(self._paged(f"field/{field_id}/context"))
        if not found:
            return []
        ids = [str(c["id"]) for c in found]
        projects = self._mapping(f"field/{field_id}/context/projectmapping", ids, "projectId")
        types = self._mapping(f"field/{field_id}/context/issuetypemapping", ids, "issueTypeId")
        contexts = []
        for item in found:
            context_id = str(item["id"])
            listed = (
                tuple(
                    RemoteOption(str(o["id"]), str(o.get("value", "")), bool(o.get("disabled")))
                    for o in self._paged(f"field/{field_id}/context/{context_id}/option")
                )
                if options
                else ()
            )
            contexts.append(
                RemoteContext(
                    id=context_id,
                    name=str(item.get("name", "")),
                    description=str(item.get("description") or ""),
                    project_ids=() if item.get("isGlobalContext") else projects.get(context_id, ()),
                    issue_type_ids=() if item.get("isAnyIssueType") else types.get(context_id, ()),
                    options=listed,
                )
            )
        return contexts

    def _mapping(
        self, path: str, context_ids: Sequence[str], key: str
    ) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for item in self._paged(path, {"contextId": list(context_ids)}):
            if item.get(key) is not None:
                found.setdefault(str(item["contextId"]), []).append(str(item[key]))
        return {context: tuple(sorted(ids)) for context, ids in found.items()}

    def create_context(
        self, field_id: str, name: str, *, project_ids: Sequence[str], issue_type_ids: Sequence[str]
    ) -> str:
        """A new context; empty ``project_ids`` makes it global, empty ``issue_type_ids`` any."""
        data = {
            "name": name,
            "projectIds": list(project_ids),
            "issueTypeIds": list(issue_type_ids),
        }
        return str(self._post(f"field/{field_id}/context", data)["id"])

    def update_context(self, field_id: str, context_id: str, *, name: str) -> None:
        """Rename a context."""
        self._put(f"field/{field_id}/context/{context_id}", {"name": name})

    def set_context_projects(
        self, field_id: str, context_id: str, add: Sequence[str], remove: Sequence[str]
    ) -> None:
        """Add and remove the projects a context applies to."""
        base = f"field/{field_id}/context/{context_id}/project"
        if add:
            self._put(base, {"projectIds": list(add)})
        if remove:
            self._post(f"{base}/remove", {"projectIds": list(remove)})

    def set_context_issue_types(
        self, field_id: str, context_id: str, add: Sequence[str], remove: Sequence[str]
    ) -> None:
        """Add and remove the issue types a context applies to."""
        base = f"field/{field_id}/context/{context_id}/issuetype"
        if add:
            self._put(base, {"issueTypeIds": list(add)})
        if remove:
            self._post(f"{base}/remove", {"issueTypeIds": list(remove)})

    def add_options(
        self, field_id: str, context_id: str, values: Sequence[str]
    ) -> list[RemoteOption]:
        """Add options (at most 1,000 per request, as Jira allows)."""
        created: list[RemoteOption] = []
        for start in range(0, len(values), 1000):
            data = {"options": [{"value": v} for v in values[start : start + 1000]]}
            answer = self._post(f"field/{field_id}/context/{context_id}/option", data) or {}
            created += [
                RemoteOption(str(o["id"]), str(o.get("value", "")), bool(o.get("disabled")))
                for o in answer.get("options") or []
            ]
        return created

    def update_options(
        self, field_id: str, context_id: str, updates: Sequence[Mapping[str, Any]]
    ) -> None:
        """Rename or disable options (``{"id", "value"?, "disabled"?}`` each)."""
        if updates:
            data = {"options": [dict(u) for u in updates]}
            self._put(f"field/{field_id}/context/{context_id}/option", data)

    def order_options(self, field_id: str, context_id: str, option_ids: Sequence[str]) -> None:
        """Put the options in this order (``PUT .../option/move``, all to the first position in
        one request, which keeps the order they are listed in)."""
        if option_ids:
            data = {"customFieldOptionIds": list(option_ids), "position": "First"}
            self._put(f"field/{field_id}/context/{context_id}/option/move", data)
