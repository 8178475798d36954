"""Errors that reach users. Each carries a Dutch, one-line message safe to show.

Messages never contain case content (names, notes): they may end up in logs or on a shared
screen. Identify things by case id, sequence number or field name instead.

CLI exit codes (scripts can rely on them):
    0 ok · 1 check failed (verify, catalogue check, refused by a rule, bad input)
    2 usage error (click) · 3 database cannot be used · 4 not found · 5 plugin/export failure
    6 erased in the journal, but the words are still in the file's bytes (a reader was open)
"""

from __future__ import annotations


class MeldcodeError(Exception):
    """Base class: ``str(err)`` is a Dutch message fit for the user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} {self.hint}"


class InputError(MeldcodeError):
    """Input that is malformed (a missing field, a date that does not exist)."""

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.field = field


class RuleViolation(MeldcodeError):
    """The protocol does not allow this (yet). ``rule`` names the rule, ``hint`` says
    what would make it possible."""

    def __init__(self, rule: str, message: str, *, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.rule = rule


class NotFound(MeldcodeError):
    exit_code = 4


class HiddenCase(NotFound):
    """The case exists but this user may not see it: the same message as for a case that does
    not exist (never reveal that it does), and the attempt is journalled as a refusal."""


class StoreError(MeldcodeError):
    """The database cannot be used. Subclasses say why."""

    exit_code = 3


class DatabaseMissing(StoreError):
    pass


class DatabaseUnreadable(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


class DatabaseCorrupt(StoreError):
    pass


class DatabaseTooNew(StoreError):
    pass


class ConcurrentEdit(MeldcodeError):
    """Someone else changed the case since it was read; reload and try again."""


class StaleCase(ConcurrentEdit):
    """Something was recorded on the case after the screen (or script) read it at
    ``expect_seq``. ``added`` lists what: ``{seq, at, actor, kind}`` each, never content."""

    def __init__(self, message: str, *, added: list[dict] | None = None, head: int = 0,
                 hint: str | None = None):
        super().__init__(message, hint=hint)
        self.added = list(added or [])
        self.head = head


class CleanPending(MeldcodeError):
    """Erasure is recorded, but another session's read snapshot keeps the erased words in the
    file's bytes; they are cleaned at the next start after that session closed."""

    exit_code = 6


class PluginError(MeldcodeError):
    exit_code = 5


# --- roles and revocation: refused by the user table -----------------------------------------------------------
class AccessDenied(MeldcodeError):
    """The user's role does not allow this (journalled as an access attempt)."""

    exit_code = 1


class AccessRevoked(MeldcodeError):
    """The user was disabled (or lost the role) while the session was open."""

    exit_code = 1
