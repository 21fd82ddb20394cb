"""Which sampling parameters exist for each API and model family, their ranges, and what they do."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from playground.llm import caching, schema, tools
from playground.llm.errors import ErrorKind, PlaygroundError

Kind = Literal["float", "int", "choice", "stops", "bool"]


@dataclass(frozen=True)
class ParamSpec:
    name: str
    label: str
    kind: Kind
    help: str
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    step: float = 1
    choices: tuple[str, ...] = ()

    def check(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise a clear error."""
        try:
            converted = _convert(self, value)
        except (TypeError, ValueError):
            raise _invalid(f"{self.name} must be {_describe(self)}, not {value!r}.") from None
        if self.kind in ("float", "int"):
            if self.minimum is not None and converted < self.minimum:
                raise _invalid(f"{self.name} must be at least {_num(self.minimum)} (got {_num(converted)}).")
            if self.maximum is not None and converted > self.maximum:
                raise _invalid(f"{self.name} must be at most {_num(self.maximum)} (got {_num(converted)}).")
        if self.kind == "choice" and converted not in self.choices:
            raise _invalid(f"{self.name} must be one of {', '.join(self.choices)} (got {converted!r}).")
        if self.kind == "stops" and self.maximum is not None and len(converted) > self.maximum:
            raise _invalid(f"{self.name} takes at most {int(self.maximum)} sequences.")
        return converted


@dataclass(frozen=True)
class Availability:
    """One parameter for one model: usable, or why not."""

    spec: ParamSpec
    reason: str = ""

    @property
    def enabled(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class Prepared:
    """Checked values to send, and the ones left out because the model does not take them."""

    values: dict[str, Any]
    dropped: dict[str, str] = field(default_factory=dict)


def _convert(spec: ParamSpec, value: Any) -> Any:
    if spec.kind == "float":
        if isinstance(value, bool):
            raise TypeError
        return float(value)
    if spec.kind == "int":
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise TypeError
        return int(str(value).strip()) if isinstance(value, str) else int(value)
    if spec.kind == "bool":
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError
        return bool(value)
    if spec.kind == "stops":
        if isinstance(value, str):
            value = [value]
        stops = [str(v) for v in value if str(v)]
        return stops
    return str(value).strip()


def _describe(spec: ParamSpec) -> str:
    return {
        "float": "a number",
        "int": "a whole number",
        "bool": "true or false",
        "stops": "a list of text",
        "choice": "one of " + ", ".join(spec.choices),
    }[spec.kind]


def _num(value: float) -> str:
    return f"{value:g}"


def _invalid(message: str) -> PlaygroundError:
    return PlaygroundError.of(ErrorKind.INVALID_PARAMETER, message)


TEMPERATURE = ParamSpec(
    "temperature",
    "Temperature",
    "float",
    "Randomness of sampling: 0 picks the likeliest token almost every time, higher values pick "
    "less likely tokens more often.",
    default=1.0,
    minimum=0.0,
    maximum=2.0,
    step=0.05,
)
TOP_P = ParamSpec(
    "top_p",
    "Top P",
    "float",
    "Nucleus sampling: only the most likely tokens whose probabilities add up to P are candidates. "
    "Change this or temperature, not both.",
    default=1.0,
    minimum=0.0,
    maximum=1.0,
    step=0.01,
)
TOP_K = ParamSpec(
    "top_k",
    "Top K",
    "int",
    "Only the K most likely tokens are candidates at each step; lower is more focused.",
    default=None,
    minimum=1,
    maximum=500,
)
MAX_TOKENS = ParamSpec(
    "max_tokens",
    "Max tokens",
    "int",
    "The most tokens the model may write (reasoning included); the answer stops there, "
    "and it bounds the worst-case cost.",
    default=1024,
    minimum=1,
    maximum=128_000,
)
FREQUENCY_PENALTY = ParamSpec(
    "frequency_penalty",
    "Frequency penalty",
    "float",
    "Lowers the chance of a token the more often it has already appeared: less repetition.",
    default=0.0,
    minimum=-2.0,
    maximum=2.0,
    step=0.05,
)
PRESENCE_PENALTY = ParamSpec(
    "presence_penalty",
    "Presence penalty",
    "float",
    "Lowers the chance of any token that has appeared at all: nudges the model to new topics.",
    default=0.0,
    minimum=-2.0,
    maximum=2.0,
    step=0.05,
)
SEED = ParamSpec(
    "seed",
    "Seed",
    "int",
    "Ask for repeatable sampling: the same seed and parameters tend to give the same answer (best effort).",
    default=None,
    minimum=0,
    maximum=2**63 - 1,
)
STOP = ParamSpec(
    "stop",
    "Stop sequences",
    "stops",
    "Text that ends the answer as soon as the model writes it; the stop text itself is not returned.",
    default=None,
    maximum=4,
)
LOGPROBS = ParamSpec(
    "logprobs",
    "Log probabilities",
    "bool",
    "Return how likely each output token was, to see how sure the model is.",
    default=False,
)
TOP_LOGPROBS = ParamSpec(
    "top_logprobs",
    "Top alternatives",
    "int",
    "How many likely alternatives to return for each output token (needs log probabilities).",
    default=None,
    minimum=0,
    maximum=20,
)
REASONING_EFFORT = ParamSpec(
    "reasoning_effort",
    "Reasoning effort",
    "choice",
    "How much the model thinks before answering: more effort, better hard answers, more "
    "(billed) reasoning tokens and a longer wait.",
    default="medium",
    choices=("none", "minimal", "low", "medium", "high", "xhigh"),
)
THINKING_BUDGET = ParamSpec(
    "thinking_budget",
    "Thinking budget",
    "int",
    "Extended thinking: up to this many tokens of visible reasoning before the answer "
    "(0 turns it off; at least 1,024, and less than max tokens).",
    default=0,
    minimum=0,
    maximum=128_000,
)
ANTHROPIC_TEMPERATURE = ParamSpec(
    "temperature",
    TEMPERATURE.label,
    "float",
    TEMPERATURE.help,
    default=1.0,
    minimum=0.0,
    maximum=1.0,
    step=0.05,
)
ANTHROPIC_STOP = ParamSpec("stop", STOP.label, "stops", STOP.help, default=None, maximum=8)

OPENAI_PARAMS = (
    TEMPERATURE,
    TOP_P,
    MAX_TOKENS,
    FREQUENCY_PENALTY,
    PRESENCE_PENALTY,
    SEED,
    STOP,
    LOGPROBS,
    TOP_LOGPROBS,
    REASONING_EFFORT,
    TOP_K,
)
ANTHROPIC_PARAMS = (ANTHROPIC_TEMPERATURE, TOP_P, TOP_K, MAX_TOKENS, ANTHROPIC_STOP, THINKING_BUDGET)

_OPENAI_REASONING = re.compile(r"^(o\d|gpt-5|gpt-oss)", re.I)
# Claude models from Sonnet 4.5 / Opus 4.1 on reject temperature and top_p in one request.
_CLAUDE_ONE_SAMPLER = re.compile(r"claude-(opus-4-[1-9]|sonnet-4-[5-9]|haiku-4-[5-9]|[a-z]+-[5-9])", re.I)
# Chat Completions parameters the Responses API does not take.
_NOT_IN_RESPONSES = frozenset(
    {"seed", "stop", "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs"}
)
_SAMPLING_ONLY_ON_CHAT = "OpenAI reasoning models sample with fixed settings and reject this parameter."


def reasoning_model(model: str) -> bool:
    """An OpenAI reasoning model by its name (o-series, gpt-5, gpt-oss)."""
    return bool(_OPENAI_REASONING.match(model))


def specs_for(api: str) -> tuple[ParamSpec, ...]:
    return ANTHROPIC_PARAMS if api == "anthropic" else OPENAI_PARAMS


def availability(api: str, model: str, official: bool) -> list[Availability]:
    """Every parameter of ``api`` and whether ``model`` takes it (``official``: the provider's own server)."""
    out = []
    for spec in specs_for(api):
        out.append(Availability(spec, _unsupported_reason(api, model, official, spec.name)))
    return out


def _unsupported_reason(api: str, model: str, official: bool, name: str) -> str:
    if api == "anthropic":
        return ""
    if api == "openai-responses" and name in _NOT_IN_RESPONSES:
        return "The Responses API does not take this parameter (it is a Chat Completions one)."
    reasoning = bool(_OPENAI_REASONING.match(model))
    if name == "top_k":
        return "OpenAI's API has no top_k." if official else ""
    if name == "reasoning_effort" and official and not reasoning:
        return "Only reasoning models (o-series, gpt-5) take a reasoning effort."
    if official and reasoning and name in {"temperature", "top_p", "frequency_penalty", "presence_penalty"}:
        return _SAMPLING_ONLY_ON_CHAT
    if official and reasoning and name in {"logprobs", "top_logprobs", "stop"}:
        return "OpenAI reasoning models do not return log probabilities or take stop sequences."
    return ""


def prepare(api: str, model: str, official: bool, values: Mapping[str, Any]) -> Prepared:
    """Check ``values`` for ``model``; raise on an invalid one, leave out the ones it does not take."""
    specs = {a.spec.name: a for a in availability(api, model, official)}
    checked: dict[str, Any] = {}
    dropped: dict[str, str] = {}
    output = values.get(schema.PARAM)
    offered = values.get(tools.PARAM)
    for name, raw in values.items():
        if name in (schema.PARAM, tools.PARAM, caching.PARAM):
            continue
        if name not in specs:
            close = difflib.get_close_matches(name, list(specs), n=1)
            hint = f" Did you mean {close[0]}?" if close else f" Known: {', '.join(specs)}."
            raise _invalid(f"Unknown parameter {name!r} for the {api} API.{hint}")
        if raw is None:
            continue
        avail = specs[name]
        value = avail.spec.check(raw)
        if not avail.enabled:
            dropped[name] = avail.reason
            continue
        checked[name] = value
    _check_combinations(api, model, checked)
    if output is not None:
        spec = schema.OutputSpec.from_value(output)
        schema.check(spec, api, model, official, thinking=bool(checked.get("thinking_budget")))
        if spec.structured:
            checked[schema.PARAM] = spec.to_dict()
    if offered is not None:
        toolset = tools.check(tools.ToolSet.from_value(offered))
        if toolset.tools:
            if spec_needs_tool(api, model, checked):
                raise _invalid("Tools cannot be offered with a structured output sent as a forced tool.")
            checked[tools.PARAM] = toolset.to_dict()
    if values.get(caching.PARAM):
        checked[caching.PARAM] = caching.check(caching.breakpoints_of(values), api)
    return Prepared(checked, dropped)


def spec_needs_tool(api: str, model: str, checked: Mapping[str, Any]) -> bool:
    """Whether the structured output goes as Anthropic's forced tool (which leaves no room for tools)."""
    spec = schema.spec_of(checked)
    return spec is not None and api == "anthropic" and schema.way(spec, api, model).startswith("forced tool")


def _check_combinations(api: str, model: str, values: dict[str, Any]) -> None:
    if values.get("top_logprobs") and not values.get("logprobs"):
        values["logprobs"] = True
    if api != "anthropic":
        return
    budget = values.get("thinking_budget") or 0
    if budget:
        max_tokens = values.get("max_tokens", MAX_TOKENS.default)
        if budget < 1024:
            raise _invalid("thinking_budget must be at least 1024 tokens (or 0 to turn thinking off).")
        if budget >= max_tokens:
            raise _invalid(f"thinking_budget ({budget}) must be less than max_tokens ({max_tokens}).")
        if "temperature" in values or "top_k" in values:
            raise _invalid("With extended thinking, Claude takes neither temperature nor top_k.")
        if "top_p" in values and not 0.95 <= values["top_p"] <= 1:
            raise _invalid("With extended thinking, top_p must be between 0.95 and 1.")
    if "temperature" in values and "top_p" in values and _CLAUDE_ONE_SAMPLER.search(model):
        raise _invalid(f"{model} takes temperature or top_p, not both: clear one of them.")
