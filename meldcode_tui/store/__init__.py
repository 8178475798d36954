"""The store: one SQLite file per school with an append-only, hash-chained journal,
read models kept in the same transaction, and full-text search. No UI imports here.

    from meldcode_tui.store import open_store
    store = open_store(path, create=True)
    with store.write() as tx:
        event = tx.append("coordinator", "MC-0001", "case_opened", {...})

See docs/ARCHITECTURE.md (Store) for the contract. Names are imported lazily, so
``python -m meldcode_tui.store.verify_worker`` starts without sqlite-utils.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["open_store", "Store", "WriteTx", "Event", "VerifyResult", "GENESIS",
           "SCHEMA_VERSION", "parse_checkpoint"]

_WHERE = {
    "open_store": "core", "Store": "core", "WriteTx": "core",
    "Event": "journal", "VerifyResult": "journal", "GENESIS": "journal",
    "parse_checkpoint": "journal", "SCHEMA_VERSION": "db",
}

if TYPE_CHECKING:  # pragma: no cover
    from .core import Store, WriteTx, open_store
    from .db import SCHEMA_VERSION
    from .journal import GENESIS, Event, VerifyResult, parse_checkpoint


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
