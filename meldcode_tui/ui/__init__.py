"""The full-screen Textual app. Textual is imported only inside this package, lazily."""

from __future__ import annotations


def run_app(env, *, server_mode: bool = False) -> None:
    """Start the app for ``env`` (the CLI's Env: db_path, actor, config, service())."""
    from .app import MeldcodeApp

    keymap = _keymap(env)   # a broken [keys] stops the start before the database is opened
    svc = env.service(create=True)
    app = MeldcodeApp(svc, plugin_host=getattr(svc, "plugins", None), actor=env.actor,
                      plugin_host_factory=env.plugin_host, server_mode=server_mode,
                      config=env.config)
    if keymap:
        app.set_keymap(keymap)
    try:
        app.run()
    finally:
        store = getattr(svc, "store", None)
        if store is not None:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - closing must not hide the app's own outcome
                pass


def _keymap(env) -> dict[str, str]:
    """``[keys]`` in config.toml maps binding ids to keys, e.g. ``"case.record_signal" = "ctrl+g"``
    (checked: see ``keymap.checked_keymap``)."""
    extra = getattr(env.config, "extra", None) or {}
    keys = extra.get("keys") if isinstance(extra, dict) else None
    if not keys:
        return {}
    from .keymap import checked_keymap

    return checked_keymap(keys)
