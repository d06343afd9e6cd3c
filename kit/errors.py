"""One exception hierarchy; the CLI turns each into a message and an exit code.

Exit codes follow DESIGN.md: 1 = invalid choices / refused, 2 = unreadable input or
usage, 3 = a render would overwrite a file changed since the kit wrote it.
"""

from __future__ import annotations


class KitError(Exception):
    """Base of every error the kit reports to a user. ``str(e)`` is Dutch and complete."""

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(KitError):
    """A file cannot be read or is not what it must be (not found, not UTF-8, bad YAML, ...)."""

    exit_code = 2


class UsageError(KitError):
    exit_code = 2


class ValidationFailed(KitError):
    """The choices break the law or the schema. Carries the findings."""

    exit_code = 1

    def __init__(self, message: str, findings: list | None = None):
        super().__init__(message)
        self.findings = list(findings or [])


class Refused(KitError):
    """The kit refuses to do something that would destroy work (e.g. init over an existing file)."""

    exit_code = 1


class WouldOverwrite(KitError):
    """A render would overwrite a file that was changed after the kit wrote it."""

    exit_code = 3

    def __init__(self, message: str, paths: list | None = None):
        super().__init__(message)
        self.paths = list(paths or [])
