"""Test connection: ask a server for its models through the real SDK, time it, and say plainly
what went wrong. Runs off the GUI thread (it imports the SDKs and waits on the network)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from playground.llm.endpoints import APIS, Api, guess_api

PROBE_TIMEOUT_S = 8.0
API_NAMES = {"openai": "OpenAI-compatible", "anthropic": "Anthropic"}


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
    return ProbeResult(base_url, None, error=f"The server at {base_url} is not an {names} server ({last}).")


class _Plain(Exception):
    """A failure whose reason does not depend on the API style (refused key, no server, timeout)."""


def _order(first: Api) -> tuple[Api, ...]:
    return (first, *(a for a in APIS if a != first))


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
    started = time.monotonic()
    try:
        items = list(client.with_options(timeout=timeout_s).models.list())
    except (sdk.AuthenticationError, sdk.PermissionDeniedError) as exc:
        raise _Plain(f"The server refused the key ({exc.status_code}).") from None
    except sdk.APITimeoutError:
        raise _Plain(f"The server at {base_url} did not answer within {timeout_s:g} s.") from None
    except sdk.APIConnectionError:
        raise _Plain(f"No server at {base_url}: nothing answered there. Is it running?") from None
    except sdk.APIStatusError as exc:
        raise _NotThisStyle(f"{API_NAMES[api]} request answered {exc.status_code}") from None
    except Exception as exc:  # an answer that is not JSON or not a model list
        raise _NotThisStyle(f"{API_NAMES[api]} request got {type(exc).__name__}") from None
    finally:
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
