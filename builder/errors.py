"""The one error type of the builder.

Every problem a comms officer can cause is a ContentError: it knows the file (relative
to the site), the line where known, what is wrong and how to fix it. Stages collect them
rather than stopping at the first, so one build reports everything at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class ContentError(Exception):
    path: str
    message: str
    line: int | None = None
    hint: str = ""

    def __reduce__(self):
        # Exceptions pickle through their args, which a dataclass leaves empty; pool workers
        # send errors back to the parent, so say how to rebuild one.
        return (ContentError, (self.path, self.message, self.line, self.hint))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n    How to fix: {self.hint}"
        return text


class FieldProblem(ValueError):
    """A field value that is wrong, with how to put it right (raised inside validators)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


class BuildFailed(Exception):
    """Raised by a stage when it found one or more content errors."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = tuple(sorted(set(errors), key=_order))
        super().__init__(format_errors(self.errors))


def _order(error: ContentError) -> tuple:
    return (error.path, error.line or 0, error.message)


def format_errors(errors: Iterable[ContentError], heading: str = "The site was not built") -> str:
    errors = list(errors)
    noun = "problem" if len(errors) == 1 else "problems"
    lines = [f"{heading}: {len(errors)} {noun} to fix."]
    for number, error in enumerate(errors, 1):
        lines.append(f"{number}. {error}")
    return "\n".join(lines)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean" suffix, or "" when nothing is close."""
    match = difflib.get_close_matches(str(word).lower(), list(choices), n=1, cutoff=0.6)
    return f' Did you mean "{match[0]}"?' if match else ""


def raise_if_any(errors: list[ContentError]) -> None:
    if errors:
        raise BuildFailed(errors)
