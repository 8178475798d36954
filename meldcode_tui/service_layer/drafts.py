"""Drafts: a half-filled form of this user, kept across sessions (not a record; the newest
typed text wins, whichever of her sessions typed it)."""

from __future__ import annotations

from .base import ServiceBase


class Drafts(ServiceBase):
    """This user's drafts (the store keeps them per user and key)."""

    def save_draft(self, key: str, data: dict, *, typed_at=None) -> bool:
        """Keep a half-filled form of this user (not a record; see Store.save_draft: newest
        wins across the user's sessions). False: a newer draft or record is there."""
        return self.store.save_draft(self.actor, key, data, typed_at=typed_at)

    def load_draft(self, key: str) -> tuple[dict, str] | None:
        return self.store.load_draft(self.actor, key)

    def discard_draft(self, key: str, *, unless_newer_than=None) -> bool:
        return self.store.discard_draft(self.actor, key, unless_newer_than=unless_newer_than)


__all__ = ["Drafts"]
