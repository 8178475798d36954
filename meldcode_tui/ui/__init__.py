"""The full-screen Textual app. Textual is imported only inside this package, lazily."""

from __future__ import annotations


class LazyPlugins:
    """The plugin host, loaded on first use: discovering entry points, importing pluggy and the
    plugins and reading the catalogues takes longer than the first dashboard frame needs
    (which shows the case list's read model only). The app loads it right after that frame
    (``MeldcodeApp._load_plugins``, through ``after_first_frame``); anything that needs it
    earlier loads it then."""

    def __init__(self, factory):
        self._factory = factory
        self._host = None

    def loaded(self):
        if self._host is None:
            self._host = self._factory()
        return self._host

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.loaded(), name)


def run_app(env, *, server_mode: bool = False) -> None:
    """Start the app for ``env`` (the CLI's Env: db_path, actor, config, service())."""
    from .app import MeldcodeApp

    keymap = _keymap(env)   # a broken [keys] stops the start before the database is opened
    svc = env.service(create=True, with_plugins=False)
    svc.plugins = LazyPlugins(env.plugin_host)
    app = MeldcodeApp(svc, plugin_host=svc.plugins, actor=env.actor,
                      plugin_host_factory=env.plugin_host, server_mode=server_mode,
                      config=env.config)
    if keymap:
        app.set_keymap(keymap)
    try:
        app.run()
        line = getattr(app, "ended_with", None)
        if line:   # the session was ended (access revoked, role changed): say why, then stop
            import sys

            print(line, file=sys.stderr, flush=True)
            sys.exit(app.return_code or 1)
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
