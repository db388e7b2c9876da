"""Problems found in geodata, and the one error type that carries them.

Every rule in the pipeline appends :class:`Problem` objects instead of raising, so a
user sees every problem of a folder in one run; :class:`CpecMapError` is raised once
at the end with all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors stop a build, warnings do not (unless ``--strict``)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem, located as precisely as the data allows.

    ``file`` is the path as the user gave it (so messages match their shell),
    ``feature`` the 0-based index in the file's ``features`` array (``None`` for
    whole-file problems), ``name`` the feature's ``name`` property if it had one.
    """

    file: str
    reason: str
    feature: int | None = None
    name: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = self.file
        if self.feature is not None:
            where += f": feature {self.feature}"
            if self.name:
                where += f" ({_quote(self.name)})"
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return _printable(f"{where}: {prefix}{self.reason}")


def _printable(text: str) -> str:
    """One line, no terminal control codes: data may hold escapes that would recolour
    or retitle the user's terminal, or newlines that split a message."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)


def _quote(text: str) -> str:
    """Quote a feature name for a one-line message (newlines and long names tamed)."""
    flat = " ".join(text.split())
    if len(flat) > 60:
        flat = flat[:57] + "..."
    return '"' + flat.replace('"', '\\"') + '"'


class CpecMapError(Exception):
    """The geodata has problems that stop the build; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__(summary(self.problems))


class UsageError(Exception):
    """The command was asked for something impossible (missing folder, bad output path)."""


def summary(problems: tuple[Problem, ...] | list[Problem]) -> str:
    """One line counting errors and warnings, e.g. ``2 errors, 1 warning in 2 files``."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    files = len({p.file for p in problems})
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if not parts:
        return "no problems"
    return f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''}"
