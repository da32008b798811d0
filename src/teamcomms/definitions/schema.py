"""JSON Schema (draft 2020-12) of the definition format, generated from the models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from teamcomms.definitions.kinds import MODELS
from teamcomms.definitions.messages import suggest
from teamcomms.definitions.project_file import ProjectConfig
from teamcomms.errors import UsageError

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_KINDS = (*MODELS, "project")


def _model_schema(model: type[BaseModel], defs: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    defs.update(schema.pop("$defs", {}))
    if "kind" in schema.get("properties", {}):
        schema.setdefault("required", [])
        if "kind" not in schema["required"]:
            schema["required"].insert(0, "kind")
    return schema


def json_schema(kind: str | None = None) -> dict[str, Any]:
    """The schema of one kind, of the project file (``"project"``), or of any YAML document.

    Without ``kind`` the schema is a ``oneOf`` over every kind (discriminated by ``kind``) and
    the project file, so one schema file serves every YAML file of a project.
    """
    if kind is not None and kind not in SCHEMA_KINDS:
        guess = suggest(kind, SCHEMA_KINDS)
        raise UsageError(
            f"unknown kind '{kind}'" + (f": did you mean '{guess}'?" if guess else ""),
            hint=f"use one of: {', '.join(SCHEMA_KINDS)}",
        )
    defs: dict[str, Any] = {}
    if kind == "project":
        schema = _model_schema(ProjectConfig, defs)
    elif kind is not None:
        schema = _model_schema(MODELS[kind], defs)
    else:
        choices = []
        for model in MODELS.values():
            defs[model.__name__] = _model_schema(model, defs)
            choices.append({"$ref": f"#/$defs/{model.__name__}"})
        defs[ProjectConfig.__name__] = _model_schema(ProjectConfig, defs)
        choices.append({"$ref": f"#/$defs/{ProjectConfig.__name__}"})
        schema = {
            "title": "teamcomms definition or project file",
            "description": "A definition (with 'kind') or the project file teamcomms.yaml.",
            "oneOf": choices,
        }
    result: dict[str, Any] = {"$schema": DRAFT, **schema}
    if defs:
        result["$defs"] = dict(sorted(defs.items()))
    return result
