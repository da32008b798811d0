"""Every file a project names stays inside the project folder, after following symlinks.

Before issue 8, ``body: ../../secret.md``, ``body: /etc/passwd`` or a body that is a symlink out
of the project passed validate, render and apply, and the file's text was published. Now each
is a located error (the ``body:`` key), and nothing of the outside file is read or shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.definitions import load_project
from teamcomms.errors import DefinitionError
from teamcomms.render.model import MappingLinkResolver
from teamcomms.render.project import render_definition
from teamcomms.render.storage import render_storage

SECRET = "TOP-SECRET-7f3a"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding what must never be published."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(f"# {SECRET}\n")
    (folder / "secret.png").write_bytes(PNG)
    (folder / "other.yaml").write_text(
        f"kind: page\nname: stolen\ntitle: {SECRET}\nbody: secret.md\n"
    )
    return folder


def _project(tmp_path: Path, body: str, markdown: str = "Hello\n") -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "teamcomms.yaml").write_text("name: T\ndefaults: {space: TEAM}\n")
    (root / "pages.yaml").write_text(
        f"kind: page\nname: home\ntitle: Home\nlabels: [home]\nbody: {body}\n"
    )
    (root / "home.md").write_text(markdown)
    return root


def _both(root: Path) -> list[tuple[int, str]]:
    """Exit code and stderr of validate and of render; when render fails, it wrote nothing."""
    out = root.parent / "preview"
    results = []
    for args in (["validate", str(root)], ["render", str(root), "--out", str(out)]):
        result = CliRunner().invoke(app, args)
        results.append((result.exit_code, result.stderr))
        assert SECRET not in result.output
        assert "Traceback" not in result.output
    assert results[1][0] == 0 or not out.exists()
    return results


def _assert_body_refused(root: Path, reason: str) -> None:
    for code, stderr in _both(root):
        assert code == 1
        assert f"{root / 'pages.yaml'}:5:1: error: page 'home' body: body " in stderr
        assert reason in stderr
        assert "so it reads no file outside the project" in stderr


def test_a_body_up_and_out_of_the_project_is_refused(tmp_path: Path, outside: Path) -> None:
    _assert_body_refused(_project(tmp_path, "../outside/secret.md"), "is outside the project")


def test_a_body_that_climbs_out_through_a_subfolder_is_refused(
    tmp_path: Path, outside: Path
) -> None:
    root = _project(tmp_path, "docs/../../outside/secret.md")
    (root / "docs").mkdir()
    _assert_body_refused(root, "is outside the project folder")


def test_an_absolute_body_path_is_refused(tmp_path: Path, outside: Path) -> None:
    _assert_body_refused(
        _project(tmp_path, str(outside / "secret.md")), "is outside the project folder"
    )


def test_a_body_that_is_a_symlink_out_of_the_project_is_refused(
    tmp_path: Path, outside: Path
) -> None:
    root = _project(tmp_path, "home.md")
    (root / "home.md").unlink()
    (root / "home.md").symlink_to(outside / "secret.md")
    _assert_body_refused(root, "is a link to a file outside the project folder")


def test_a_body_in_a_folder_that_links_out_of_the_project_is_refused(
    tmp_path: Path, outside: Path
) -> None:
    root = _project(tmp_path, "shared/secret.md")
    (root / "shared").symlink_to(outside, target_is_directory=True)
    _assert_body_refused(root, "is a link to a file outside the project folder")


def test_symlinks_that_stay_inside_the_project_are_fine(tmp_path: Path) -> None:
    root = _project(tmp_path, "docs/home.md")
    (root / "docs").symlink_to(root / "bodies", target_is_directory=True)
    (root / "bodies").mkdir()
    (root / "bodies" / "home.md").symlink_to(root / "home.md")
    code, stderr = _both(root)[0]
    assert code == 0, stderr


def test_rendering_reads_no_body_outside_even_when_validation_was_skipped(
    tmp_path: Path, outside: Path
) -> None:
    # A library caller (or a file swapped after validate) cannot get an outside body rendered.
    root = _project(tmp_path, "home.md")
    project = load_project(root)
    (root / "home.md").unlink()
    (root / "home.md").symlink_to(outside / "secret.md")
    page = project.get("page", "home")
    assert page is not None
    with pytest.raises(DefinitionError) as error:
        render_definition(project, page)
    [problem] = error.value.problems
    assert (problem.line, problem.column, problem.path) == (5, 1, "body")
    assert problem.message == "body 'home.md' is a link to a file outside the project folder"
    assert SECRET not in problem.format()


def test_a_body_swapped_for_a_link_out_between_two_loads_is_refused_by_the_second(
    tmp_path: Path, outside: Path
) -> None:
    # A load resolves each path once (teamcomms.definitions.yaml_source.resolving_once); the
    # next load, in the same process, must look again.
    from teamcomms.engine.workspace import load_workspace

    root = _project(tmp_path, "home.md")
    assert load_workspace(root).rendered(load_project(root).get("page", "home"))  # type: ignore[arg-type]
    (root / "home.md").unlink()
    (root / "home.md").symlink_to(outside / "secret.md")
    with pytest.raises(DefinitionError) as error:
        load_workspace(root)
    assert "is a link to a file outside the project folder" in error.value.format()
    assert SECRET not in error.value.format()


@pytest.mark.parametrize(
    "image",
    ["../outside/secret.png", "%2e%2e/outside/secret.png", "{outside}/secret.png", "link.png"],
    ids=["parent-dir", "percent-encoded", "absolute", "symlink"],
)
def test_an_image_outside_the_project_is_refused_at_its_line(
    tmp_path: Path, outside: Path, image: str
) -> None:
    written = image.format(outside=outside)
    root = _project(tmp_path, "home.md", f"# Home\n\n![logo]({written})\n")
    (root / "link.png").symlink_to(outside / "secret.png")
    for code, stderr in _both(root):
        assert code == 1
        assert f"{root / 'home.md'}:3:9: error: page 'home': image `" in stderr
        assert "is outside the project folder" in stderr


def test_an_image_missing_outside_the_project_does_not_say_whether_it_exists(
    tmp_path: Path, outside: Path
) -> None:
    root = _project(tmp_path, "home.md", "![a](../outside/secret.png) ![b](../outside/none.png)\n")
    stderr = _both(root)[0][1]
    assert stderr.count("is outside the project folder") == 2


@pytest.mark.parametrize(
    "image",
    ["%00.png", "a" * 5000 + ".png", "loop.png"],
    ids=["null-byte", "name-too-long", "symlink-loop"],
)
def test_an_image_path_the_system_cannot_read_is_a_located_error(
    tmp_path: Path, image: str
) -> None:
    root = _project(tmp_path, "home.md", f"![logo]({image})\n")
    (root / "loop.png").symlink_to("loop.png")
    for code, stderr in _both(root):
        assert code == 1
        assert "home.md:1:9: error: page 'home': image `" in stderr
        assert "is not an image file next to the Markdown" in stderr


def test_a_definition_file_linked_from_outside_is_not_loaded(tmp_path: Path, outside: Path) -> None:
    root = _project(tmp_path, "home.md")
    (root / "other.yaml").symlink_to(outside / "other.yaml")
    for code, stderr in _both(root):
        assert code == 1
        location = f"{root / 'other.yaml'}: error: "
        assert f"{location}definition file is a link to a file outside the project" in stderr


def test_a_library_caller_without_a_project_keeps_images_beside_the_markdown(
    tmp_path: Path,
) -> None:
    (tmp_path / "secret.png").write_bytes(PNG)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "logo.png").write_bytes(PNG)
    source = tmp_path / "docs" / "page.md"
    page = render_storage("![a](logo.png)", {}, source=source, links=MappingLinkResolver())
    assert [a.filename for a in page.attachments] == ["logo.png"]
    with pytest.raises(DefinitionError) as error:
        render_storage("![b](../secret.png)", {}, source=source, links=MappingLinkResolver())
    assert error.value.problems[0].message == "image `../secret.png` is outside the project folder"
