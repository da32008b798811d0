"""The engine's tests plan and apply Confluence pages, the first resources: the same fixtures."""

from tests.resources.conftest import confluence, project, unpaced  # noqa: F401 (fixtures)
