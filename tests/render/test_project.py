"""Rendering a loaded project's pages, templates and workflow pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.definitions import load_project
from teamcomms.definitions.kinds.template import TemplateDefinition
from teamcomms.errors import DefinitionError
from teamcomms.render.project import render_definition, render_project
from tests.render.support import parse_storage, storage_text

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"

PROJECT_FILE = "name: Test\ndefaults: {space: TEAM, project: OPS}\n"
DOCS = """\
kind: page
name: home
title: "{{ store }} home"
body: home.md
vars: {store: Northwind}
---
kind: template
name: readiness
title: "Readiness: {{ release }}"
space: ENG
parent: Releases
labels: [deployment]
body: readiness.md
variables:
  release: {required: true}
  owner: {required: false, default: the on-call engineer}
confluence_template: true
---
kind: template
name: welcome
title: "Welcome, {{ hire.name }}"
body: welcome.md
variables:
  hire: {required: true}
"""


def _project(tmp_path: Path, readiness: str = "Ship {{ release }}, owner {{ owner }}.\n") -> Path:
    (tmp_path / "teamcomms.yaml").write_text(PROJECT_FILE, encoding="utf-8")
    (tmp_path / "docs.yaml").write_text(DOCS, encoding="utf-8")
    (tmp_path / "home.md").write_text(
        "Start with [readiness](template:readiness) and [home](page:home).\n", encoding="utf-8"
    )
    (tmp_path / "readiness.md").write_text(readiness, encoding="utf-8")
    (tmp_path / "welcome.md").write_text("Hi {{ hire.name }}, buddy {{ hire.buddy }}\n")
    return tmp_path


def test_a_template_without_values_keeps_template_variables(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    template = project.get("template", "readiness")
    assert isinstance(template, TemplateDefinition)
    page = render_definition(project, template)
    assert page.title == "Readiness: {release}"
    assert (page.space, page.parent, page.labels) == ("ENG", "Releases", ("deployment",))
    assert page.placeholders == ("release",)
    assert storage_text(page.storage) == "Ship , owner the on-call engineer."
    assert '<at:var at:name="release"/>' in page.storage


def test_given_values_fill_a_template(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    template = project.get("template", "readiness")
    assert template is not None
    page = render_definition(project, template, {"release": "2.4 <beta>"}, strict=True)
    assert page.title == "Readiness: 2.4 <beta>"
    assert storage_text(page.storage) == "Ship 2.4 <beta>, owner the on-call engineer."


def test_strict_rendering_requires_the_required_variables(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    template = project.get("template", "readiness")
    assert template is not None
    with pytest.raises(DefinitionError) as error:
        render_definition(project, template, strict=True)
    [problem] = error.value.problems
    assert "`release`" in problem.message
    assert problem.file.endswith("docs.yaml")
    assert (problem.line, problem.column) == (14, 1)  # its `variables:` key


def test_nested_placeholders_name_the_attribute(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    template = project.get("template", "welcome")
    assert template is not None
    page = render_definition(project, template)
    assert page.title == "Welcome, {hire.name}"
    assert page.placeholders == ("hire.buddy", "hire.name")


def test_template_links_go_to_the_parent_while_the_title_needs_a_value(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    home = project.get("page", "home")
    assert home is not None
    root = parse_storage(render_definition(project, home).storage)
    ri = "{http://atlassian.com/resource/identifier}"
    targets = [
        (e.get(f"{ri}content-title"), e.get(f"{ri}space-key")) for e in root.iter(f"{ri}page")
    ]
    assert targets == [("Releases", "ENG"), ("Northwind home", "TEAM")]
    with_value = render_definition(project, home, {"release": "2.4"})
    assert 'ri:content-title="Readiness: 2.4"' in with_value.storage


def test_errors_of_every_definition_are_reported_together(tmp_path: Path) -> None:
    # validate renders bodies too, so the bad bodies are written after loading.
    project = load_project(_project(tmp_path, readiness="Ship it.\n"))
    (tmp_path / "readiness.md").write_text(
        "Ship it.\n\nSee [x](page:{{ 'nowhere' }}).\n", encoding="utf-8"
    )
    (tmp_path / "home.md").write_text("# Home\n\n[[jira:{{ store }}]]\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        render_project(project)
    located = sorted((Path(p.file).name, p.line) for p in error.value.problems)
    assert located == [("home.md", 3), ("readiness.md", 3)]


def test_a_body_error_names_its_definition_and_the_body_relative_to_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = load_project(_project(tmp_path))
    (tmp_path / "home.md").write_text("# Home\n\n{{ store.__class__ }}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DefinitionError) as error:
        render_project(project)
    [problem] = error.value.problems
    assert (problem.file, problem.line, problem.definition) == ("home.md", 3, "page 'home'")


def test_a_body_saved_with_a_bom_and_crlf_renders_like_any_other(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    body = "\ufeff# {{ store }}\r\n\r\n```python\r\nprint(1)\r\nprint(2)\r\n```\r\n"
    (tmp_path / "home.md").write_bytes(body.encode("utf-8"))
    home = project.get("page", "home")
    assert home is not None
    page = render_definition(project, home)
    assert page.storage.startswith("<h1>Northwind</h1>")
    assert "\r" not in page.storage
    assert "<![CDATA[print(1)\nprint(2)\n]]>" in page.storage


def test_every_example_page_template_and_workflow_renders_to_well_formed_storage() -> None:
    project = load_project(EXAMPLE)
    pages = render_project(project)
    kinds = {page.definition.split("/")[0] for page in pages}
    assert kinds == {"page", "template", "workflow", "glossary"}
    kinds_count = (project.pages, project.templates, project.workflows, project.glossaries)
    assert len(pages) == sum(len(definitions) for definitions in kinds_count)
    for page in pages:
        parse_storage(page.storage)
        assert page.title


def test_a_value_given_in_part_leaves_the_rest_as_placeholders(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    template = project.get("template", "welcome")
    assert template is not None
    page = render_definition(project, template, {"hire": {"name": "Ada", "prefix": "x"}})
    assert page.title == "Welcome, Ada"
    assert page.placeholders == ("hire.buddy",)
    assert storage_text(page.storage) == "Hi Ada, buddy "
    with pytest.raises(DefinitionError) as error:
        render_definition(project, template, {"hire": {"name": "Ada"}}, strict=True)
    assert "buddy" in error.value.problems[0].message


def test_an_image_outside_the_project_is_refused(tmp_path: Path) -> None:
    project_dir = tmp_path / "shop"
    project_dir.mkdir()
    project = load_project(_project(project_dir))
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    (tmp_path / "private.png").write_bytes(png)
    (project_dir / "logo.png").write_bytes(png)
    (project_dir / "home.md").write_text("![logo](logo.png)\n\n![x](../private.png)\n")
    with pytest.raises(DefinitionError) as error:
        render_project(project)
    [problem] = error.value.problems
    assert (Path(problem.file).name, problem.line, problem.column) == ("home.md", 3, 6)
    assert problem.message == "image `../private.png` is outside the project folder"
    (project_dir / "home.md").write_text("![logo](logo.png)\n")
    home = project.get("page", "home")
    assert home is not None
    assert [a.filename for a in render_definition(project, home).attachments] == ["logo.png"]
