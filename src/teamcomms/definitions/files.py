"""Writing files for the user (a scaffold, a preview, a diagram) with errors that name the path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from teamcomms.errors import OperationFailed


@contextmanager
def reporting_write_errors(hint: str) -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into :class:`OperationFailed` naming the path.

    Without it, a read-only or missing folder ends the command with "internal error".
    """
    try:
        yield
    except OSError as error:
        target = error.filename if error.filename is not None else "the output"
        reason = error.strerror or str(error)
        if isinstance(error, FileExistsError):
            reason = "it is a file, and a folder is needed there"
        raise OperationFailed(f"cannot write {target}: {reason}", hint=hint) from None
