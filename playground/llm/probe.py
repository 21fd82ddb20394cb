"""Test connection: ask a server for its models through the real SDK, time it, and say plainly
what went wrong. Runs off the GUI thread (it imports the SDKs and waits on the network)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from playground.llm.endpoints import Api, guess_api, public_url

PROBE_TIMEOUT_S = 8.0
API_NAMES = {"openai": "OpenAI-compatible", "anthropic": "Anthropic", "openai-responses": "OpenAI Responses"}
DETECTED: tuple[Api, ...] = ("openai", "anthropic")  # what Detect tries (Responses is chosen, not guessed)


@dataclass(frozen=True)
class ProbeResult:
    """What Test connection found: the models and the round-trip time, or a plain reason."""

    base_url: str
    api: Api | None  # the style that answered (None: none did)
    models: tuple[str, ...] = ()
    rtt_s: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        if self.error is not None:
            return f"✗ {self.error}"
        assert self.api is not None and self.rtt_s is not None
        shown = ", ".join(self.models[:8]) + (" …" if len(self.models) > 8 else "")
        return (
            f"✓ {API_NAMES[self.api]} server, {len(self.models)} models, answered in "
            f"{self.rtt_s * 1000:.0f} ms" + (f": {shown}" if shown else ".")
        )


class _NotThisStyle(Exception):
    """The server answered, but not as this API style would."""


def probe(base_url: str, api: Api | None, key: str | None, timeout_s: float = PROBE_TIMEOUT_S) -> ProbeResult:
    """List the server's models with ``api`` (None: detect, the URL's hint first, then the other)."""
    styles: tuple[Api, ...] = (api,) if api else _order(guess_api(base_url))
    last = ""
    for style in styles:
        try:
            return _list(base_url, style, key, timeout_s)
        except _NotThisStyle as exc:
            last = str(exc)
        except _Plain as exc:
            return ProbeResult(base_url, None, error=str(exc))
    names = " or ".join(API_NAMES[s] for s in styles)
    return ProbeResult(
        base_url, None, error=f"The server at {public_url(base_url)} is not an {names} server ({last})."
    )


class _Plain(Exception):
    """A failure whose reason does not depend on the API style (refused key, no server, timeout)."""


def _order(first: Api) -> tuple[Api, ...]:
    return (first, *(a for a in DETECTED if a != first))


def _list(base_url: str, api: Api, key: str | None, timeout_s: float) -> ProbeResult:
    """``client.models.list()`` with the SDK of ``api``; the answer's shape tells the styles apart
    (an Anthropic server's model items have type "model", an OpenAI one's object "model")."""
    sdk: Any
    client: Any
    if api == "anthropic":
        import anthropic

        sdk, client = anthropic, anthropic.Anthropic(base_url=base_url, api_key=key or "-", max_retries=0)
    else:
        import openai

        sdk, client = openai, openai.OpenAI(base_url=base_url, api_key=key or "-", max_retries=0)
    # A keyless local server gets a placeholder: the SDKs refuse to start without some key.
    # The SDK's timeout bounds each read, not the answer: a server dripping a byte at a time would
    # never end, so a deadline closes the client (the blocked read then fails).
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        client.close()

    deadline = threading.Timer(timeout_s, expire)
    deadline.daemon = True
    where = public_url(base_url)
    started = time.monotonic()
    deadline.start()
    try:
        items = list(client.with_options(timeout=timeout_s).models.list())
    except Exception as exc:
        if expired.is_set() or isinstance(exc, sdk.APITimeoutError):
            raise _Plain(f"The server at {where} did not answer within {timeout_s:g} s.") from None
        if isinstance(exc, (sdk.AuthenticationError, sdk.PermissionDeniedError)):
            raise _Plain(f"The server refused the key ({exc.status_code}).") from None
        if isinstance(exc, sdk.APIConnectionError):
            raise _Plain(f"No server at {where}: nothing answered there. Is it running?") from None
        if isinstance(exc, sdk.APIStatusError):
            raise _NotThisStyle(f"{API_NAMES[api]} request answered {exc.status_code}") from None
        # an answer that is not JSON or not a model list
        raise _NotThisStyle(f"{API_NAMES[api]} request got {type(exc).__name__}") from None
    finally:
        deadline.cancel()
        client.close()
    rtt = time.monotonic() - started
    other: Api = "openai" if api == "anthropic" else "anthropic"
    if items and all(_style(item) == other for item in items):
        raise _NotThisStyle(f"its model list is in the {API_NAMES[other]} format")
    return ProbeResult(base_url, api, tuple(sorted(str(m.id) for m in items)), rtt)


def _style(item: Any) -> Api | None:
    extra = getattr(item, "model_extra", None) or {}
    fields = {**extra, **{k: getattr(item, k, None) for k in ("type", "object")}}
    if fields.get("object") == "model":
        return "openai"
    if fields.get("type") == "model":
        return "anthropic"
    return None
