"""The exceptions of Sumisura: one base class, one subclass for each kind of failure."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._core import Diagnostic


class Error(Exception):
    """Base of every Sumisura exception.

    ``file``, ``line`` and ``column`` say where the problem is when it is in a file (``""`` and
    ``0`` otherwise); ``diagnostics`` lists every problem found when the error sums up several.
    """

    file: str
    line: int
    column: int
    diagnostics: list[Diagnostic]

    def __init__(
        self,
        message: str = "",
        *,
        file: str = "",
        line: int = 0,
        column: int = 0,
        diagnostics: Iterable[Diagnostic] = (),
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.diagnostics = list(diagnostics)


class CatalogError(Error):
    """A catalog or model file cannot be read: malformed YAML, wrong types, unknown keys."""


class SpecError(Error, ValueError):
    """A customer specification or a choice is malformed or names nothing real."""


class UsageError(Error, ValueError):
    """An API was called in a way it does not support, or with a value it cannot hold."""


class UnknownKeywordError(UsageError, TypeError):
    """A call named a keyword the function does not take. A UsageError, and a TypeError too, as
    Python's own functions raise for an unknown keyword."""


class FileError(Error, OSError):
    """A file cannot be opened, read or written."""


class LimitError(Error, TimeoutError):
    """A time limit ran out before the call could give any answer at all (while reading or
    compiling a catalog). Calls that have a result say so in it (status "unknown") instead."""


class InternalError(Error):
    """A bug in Sumisura: please report it with the catalog that shows it."""


# Shown and pickled as sumisura.CatalogError etc., the names users import them by.
for _cls in (
    Error,
    CatalogError,
    SpecError,
    UsageError,
    UnknownKeywordError,
    FileError,
    LimitError,
    InternalError,
):
    _cls.__module__ = "sumisura"
del _cls

__all__ = [
    "Error",
    "CatalogError",
    "SpecError",
    "UsageError",
    "UnknownKeywordError",
    "FileError",
    "LimitError",
    "InternalError",
]
