"""API keys: only in the OS keyring, environment variables as a fallback, never in a file.

Precedence (the same for every key, shown in the Keys page's tooltip): a key typed in this app wins,
whether the keyring kept it or it lives for this session only (a session key exists only while the
keyring cannot keep one, and saving in the keyring replaces it); the named environment variable is
used when no key was typed. So a key set in Settings or with `playground keys set` is never shadowed
by a stale variable in the shell."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keyring loads every backend it knows (~100 ms): only when a key is first read
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)
SERVICE = "llm-playground"
ENV_VARS = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "groq": "GROQ_API_KEY",
    "openai-admin": "OPENAI_ADMIN_KEY",
    "anthropic-admin": "ANTHROPIC_ADMIN_KEY",
}
# What the Keys page calls each key; other names (custom endpoints) show as they are.
LABELS = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "openai-admin": "OpenAI admin key (for importing your bill)",
    "anthropic-admin": "Anthropic admin key (for importing your bill)",
}
ADMIN_KEYS = ("openai-admin", "anthropic-admin")
PRECEDENCE = (
    "A key saved here is used first (in the system keyring, or for this session only when there is "
    "no keyring); the environment variable is used when no key is saved."
)
NO_KEYRING = (
    "No system keyring is available (on Linux, install and unlock GNOME Keyring or KWallet), so keys "
    "cannot be saved. Enter a key in Settings ▸ Keys to keep it for this session only, or set its "
    "environment variable (OPENAI_API_KEY, ANTHROPIC_API_KEY) before starting."
)


def env_var(name: str, env: str | None = None) -> str | None:
    """The environment variable a key is read from: the endpoint's own, else the standard one."""
    return env or ENV_VARS.get(name)


def label(name: str) -> str:
    return LABELS.get(name, name)


def key_names(endpoints: Iterable[tuple[str | None, str | None]]) -> dict[str, str | None]:
    """Every key a user may set, from the endpoints' (key name, variable) pairs: the providers'
    first, then the admin keys for bills, then the custom endpoints' keys by name."""
    found: dict[str, str | None] = {}
    for name, env in endpoints:
        if name and not found.get(name):
            found[name] = env_var(name, env)
    for name in ADMIN_KEYS:
        found.setdefault(name, ENV_VARS[name])
    first = ("openai", "anthropic", *ADMIN_KEYS)
    return dict(
        sorted(
            found.items(),
            key=lambda kv: (kv[0] not in first, first.index(kv[0]) if kv[0] in first else 0, kv[0]),
        )
    )


@dataclass(frozen=True)
class KeyStatus:
    name: str
    source: str | None  # "keyring", "session", "environment" or None
    masked: str = ""
    env: str | None = None  # the environment variable this key is read from

    @property
    def present(self) -> bool:
        return self.source is not None

    def describe(self) -> str:
        """Where the key comes from, in words: "keyring", "environment variable NAME", "this session
        only" or "missing"."""
        if self.source == "environment":
            return f"environment variable {self.env}"
        if self.source == "session":
            return "this session only"
        return self.source or "missing"


def system_backend() -> KeyringBackend | None:
    """The OS keyring, or None where the machine has none (headless Linux without Secret Service)."""
    import keyring
    from keyring.backends import fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, (fail.Keyring, null.Keyring)):  # null accepts keys and forgets them
        return None
    chained = getattr(backend, "backends", None)
    if chained is not None and not chained:
        return None
    return backend


def session_only(name: str, why: str) -> str:
    """Why a key was not saved, that it lasts this session only, and how to make it last."""
    env = ENV_VARS.get(name)
    route = (
        f"To keep it, set the environment variable {env} before starting."
        if env
        else "To keep it, fix the system keyring (unlock it) and save the key again."
    )
    return f"The {name} key was not saved: {why}. It is kept for this session only. {route}"


def mask(key: str) -> str:
    return f"{key[:3]}…{key[-4:]}" if len(key) > 12 else "•" * len(key)


class KeyStore:
    """Reads and writes keys through an injected keyring backend (None: session-only keys).

    ``backend`` may be a function giving it (``system_backend``): then the keyring loads when a key
    is first used, so commands that need none (`cost`, `count`, `--help`) never pay for it."""

    def __init__(
        self,
        backend: KeyringBackend | Callable[[], KeyringBackend | None] | None,
        environ: Mapping[str, str] | None = None,
    ):
        self._load = backend if callable(backend) and not hasattr(backend, "get_password") else None
        self._loaded: KeyringBackend | None = None if self._load else backend  # type: ignore[assignment]
        self._environ = os.environ if environ is None else environ
        self._session: dict[str, str] = {}
        self._problem: str | None = None

    @property
    def _backend(self) -> KeyringBackend | None:
        if self._load is not None:
            load, self._load = self._load, None
            self._loaded = load()
        return self._loaded

    @property
    def problem(self) -> str | None:
        if self._problem is None and self._backend is None:
            return NO_KEYRING
        return self._problem

    @problem.setter
    def problem(self, value: str | None) -> None:
        self._problem = value

    @property
    def persistent(self) -> bool:
        return self._backend is not None

    def get(self, name: str, env: str | None = None) -> str | None:
        """The key called ``name``; ``env`` names the endpoint's own environment variable."""
        if name in self._session:
            return self._session[name]
        if self._backend is not None:
            from keyring.errors import KeyringError

            try:
                value = self._backend.get_password(SERVICE, name)
            except KeyringError as exc:
                self.problem = f"The system keyring could not be read: {exc}"
                log.warning("keyring read failed for %s: %s", name, type(exc).__name__)
                value = None
            if value:
                return value
        var = env_var(name, env)
        return self._environ.get(var) or None if var else None

    def status(self, name: str, env: str | None = None) -> KeyStatus:
        var = env_var(name, env)
        if name in self._session:
            return KeyStatus(name, "session", mask(self._session[name]), var)
        if self._backend is not None:
            from keyring.errors import KeyringError

            try:
                value = self._backend.get_password(SERVICE, name)
            except KeyringError:
                value = None
            if value:
                return KeyStatus(name, "keyring", mask(value), var)
        if var and self._environ.get(var):
            return KeyStatus(name, "environment", mask(self._environ[var]), var)
        return KeyStatus(name, None, "", var)

    def set(self, name: str, key: str) -> str:
        """Store ``key``; returns where it went ("keyring", or "session" when no keyring works)."""
        key = key.strip()
        if not key:
            raise ValueError("The key is empty.")
        if self._backend is not None:
            try:
                self._backend.set_password(SERVICE, name, key)
                stored = self._backend.get_password(SERVICE, name) == key
            except Exception as exc:  # locked, no backend, D-Bus gone: any failure means "not stored"
                self.problem = session_only(name, f"the system keyring refused the key ({exc})")
                log.warning("keyring write failed for %s: %s", name, type(exc).__name__)
            else:
                if stored:
                    self._session.pop(name, None)
                    return "keyring"
                # Some backends (keyring's null backend) accept a key and keep nothing.
                self.problem = session_only(name, "the system keyring did not keep the key")
                log.warning("keyring did not keep the key for %s", name)
        elif self.problem == NO_KEYRING:
            self.problem = session_only(name, "no system keyring is available")
        self._session[name] = key
        return "session"

    def delete(self, name: str) -> bool:
        removed = self._session.pop(name, None) is not None
        if self._backend is not None:
            from keyring.errors import KeyringError, PasswordDeleteError

            try:
                self._backend.delete_password(SERVICE, name)
                removed = True
            except PasswordDeleteError:
                pass
            except KeyringError as exc:
                self.problem = f"The system keyring could not delete the key: {exc}"
        return removed
