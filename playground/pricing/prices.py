"""What a call costs, from genai-prices' bundled data or the user's own overrides, in Decimal."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from playground.llm.endpoints import Endpoint
from playground.llm.usage import Usage

MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class PriceOverride:
    """A user's own price for ``model`` on ``endpoint`` ("*" for every model), USD per million tokens."""

    endpoint: str
    model: str
    input_mtok: Decimal
    output_mtok: Decimal
    cache_read_mtok: Decimal | None = None
    cache_write_mtok: Decimal | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, str | None]) -> PriceOverride:
        """A price_overrides row (prices kept as decimal text, so nothing is rounded)."""
        return cls(
            str(row["endpoint"]),
            str(row["model"]),
            Decimal(str(row["input_mtok"])),
            Decimal(str(row["output_mtok"])),
            _dec(row["cache_read_mtok"]),
            _dec(row["cache_write_mtok"]),
        )

    @property
    def free(self) -> bool:
        return not (self.input_mtok or self.output_mtok or self.cache_read_mtok or self.cache_write_mtok)

    def calc(self, usage: Usage) -> tuple[Decimal, Decimal]:
        read = usage.cache_read_tokens
        write = usage.cache_write_tokens
        plain = max(usage.input_tokens - read - write, 0)
        cache_read = self.cache_read_mtok if self.cache_read_mtok is not None else self.input_mtok
        cache_write = self.cache_write_mtok if self.cache_write_mtok is not None else self.input_mtok
        inp = (plain * self.input_mtok + read * cache_read + write * cache_write) / MILLION
        out = usage.output_tokens * self.output_mtok / MILLION
        return inp, out


@dataclass(frozen=True)
class Cost:
    """A call's price. ``total`` is None when the price is unknown (never shown as $0)."""

    total: Decimal | None
    input: Decimal | None
    output: Decimal | None
    source: str
    estimated: bool = False

    @property
    def known(self) -> bool:
        return self.total is not None


@dataclass(frozen=True)
class ModelFacts:
    """Prices per million tokens (base tier) and context window, for pickers and forecasts."""

    input_mtok: Decimal | None
    output_mtok: Decimal | None
    cache_read_mtok: Decimal | None
    context_window: int | None
    source: str


class Pricer:
    """Prices usage; ``overrides`` is asked each time so edits take effect at once.

    ``home`` holds the price data fetched by `playground prices update` (else the bundled copy prices).
    """

    def __init__(self, overrides: Callable[[], Sequence[PriceOverride]] = tuple, home: Path | None = None):
        self._overrides = overrides
        self._home = home

    def price(self, endpoint: Endpoint, model: str, usage: Usage, when: datetime | None = None) -> Cost:
        estimated = usage.input_estimated or usage.output_estimated
        override = self._override(endpoint, model)
        if override is not None:
            inp, out = override.calc(usage)
            label = "free" if override.free else f"{override.input_mtok}/{override.output_mtok} per MTok"
            return Cost(
                inp + out, inp, out, f"override ({endpoint.name}/{override.model}): {label}", estimated
            )
        lookup = self._lookup_args(endpoint)
        if lookup is None:
            return _unknown(endpoint, model)
        model = lookup.pop("model", model)  # priced as one known model ("openai/gpt-4o-mini")
        cost = self._genai(model, usage, when, lookup, "")
        return cost if cost is not None else _unknown(endpoint, model)

    def price_by_model_name(self, model: str, usage: Usage, when: datetime | None = None) -> Cost:
        """For imported calls whose endpoint is unknown: genai-prices guesses the provider from the name."""
        cost = self._genai(model, usage, when, {}, " (guessed from the model name)")
        return cost if cost is not None else Cost(None, None, None, f"unknown: no price for {model}")

    def _genai(
        self, model: str, usage: Usage, when: datetime | None, lookup: dict[str, str], note: str
    ) -> Cost | None:
        """genai-prices' price (None: it has no price for the model), with our known corrections."""
        from playground.pricing import price_data
        from playground.pricing.price_fixes import long_context

        data = price_data.current(self._home)
        from genai_prices import Usage as GUsage

        g_usage = GUsage(
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_read_tokens=usage.cache_read_tokens,
            cache_write_tokens=usage.cache_write_tokens,
            cache_write_1h_tokens=min(usage.cache_write_1h_tokens, usage.cache_write_tokens),
        )
        calc = _calc(g_usage, model, lookup, when)
        if calc is None:
            return None
        if not _per_token(calc.model_price):
            return None  # priced per character, audio hour or image: our token counts cannot price it
        source = f"{data.label}: {calc.provider.id}/{calc.model.id}{note}"
        estimated = usage.input_estimated or usage.output_estimated
        fixed = long_context(calc.provider.id, calc.model.id, calc.model_price, g_usage)
        if fixed is not None:
            prices, why = fixed
            return Cost(
                prices["total_price"],
                prices["input_price"],
                prices["output_price"],
                f"{source}; long-context tier from {why}",
                estimated,
            )
        return Cost(calc.total_price, calc.input_price, calc.output_price, source, estimated)

    def tier_starts(self, endpoint: Endpoint, model: str) -> tuple[int, ...]:
        """The input-token counts above which ``model``'s price per token changes (genai-prices' tiers and
        our long-context fixes), ascending; empty for a flat or unknown price. Between two starts a
        call's price is linear in its token counts, which lets many calls be priced as one sum."""
        if self._override(endpoint, model) is not None:
            return ()  # an override has one rate per kind of token
        lookup = self._lookup_args(endpoint)
        if lookup is None:
            return ()
        model = lookup.pop("model", model)
        from genai_prices import Usage as GUsage
        from genai_prices.types import TieredPrices

        from playground.pricing import price_data
        from playground.pricing.price_fixes import thresholds

        price_data.current(self._home)
        calc = _calc(GUsage(input_tokens=1), model, lookup, None)
        if calc is None:
            return ()
        starts = {
            t.start for v in vars(calc.model_price).values() if isinstance(v, TieredPrices) for t in v.tiers
        }
        starts.update(thresholds(calc.provider.id, calc.model.id))
        return tuple(sorted(starts))

    def facts(self, endpoint: Endpoint, model: str) -> ModelFacts | None:
        override = self._override(endpoint, model)
        if override is not None:
            return ModelFacts(
                override.input_mtok, override.output_mtok, override.cache_read_mtok, None, "override"
            )
        lookup = self._lookup_args(endpoint)
        if lookup is None:
            return None
        model = lookup.pop("model", model)
        from genai_prices import data_snapshot

        from playground.pricing import price_data

        data = price_data.current(self._home)
        try:
            provider, info = data_snapshot.get_snapshot().find_provider_model(
                model, None, lookup.get("provider_id"), lookup.get("provider_api_url")
            )
        except LookupError:
            return None
        prices = info.get_prices(datetime.now(UTC))
        return ModelFacts(
            _base(getattr(prices, "input_mtok", None)),
            _base(getattr(prices, "output_mtok", None)),
            _base(getattr(prices, "cache_read_mtok", None)),
            info.context_window,
            f"{data.label}: {provider.id}/{info.id}",
        )

    def _override(self, endpoint: Endpoint, model: str) -> PriceOverride | None:
        matches = [o for o in self._overrides() if o.endpoint == endpoint.name and o.model in (model, "*")]
        matches.sort(key=lambda o: o.model == "*")
        return matches[0] if matches else None

    @staticmethod
    def _lookup_args(endpoint: Endpoint) -> dict[str, str] | None:
        if endpoint.price_as:
            provider, _, model = endpoint.price_as.partition("/")
            return {"provider_id": provider, "model": model} if model else {"provider_id": provider}
        if endpoint.base_url and not endpoint.is_local:
            return {"provider_api_url": endpoint.base_url}
        return None


def _calc(usage: Any, model: str, lookup: dict[str, str], when: datetime | None) -> Any:
    """genai-prices' calculation for ``model`` as ``lookup`` names its provider; None: not known."""
    from genai_prices import calc_price

    try:
        if "provider_api_url" in lookup:  # the overloads take one of the two keys, never both
            return calc_price(
                usage, model, provider_api_url=lookup["provider_api_url"], genai_request_timestamp=when
            )
        # provider_id None: genai-prices guesses the provider from the model name
        return calc_price(usage, model, provider_id=lookup.get("provider_id"), genai_request_timestamp=when)
    except LookupError:
        return None


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _unknown(endpoint: Endpoint, model: str) -> Cost:
    return Cost(None, None, None, f"unknown: no price for {model} on {endpoint.name}")


def _base(price: object) -> Decimal | None:
    """A flat price, or the base tier of a tiered one (None: no price)."""
    base = getattr(price, "base", price)
    return base if isinstance(base, Decimal) else None


def _per_token(model_price: object) -> bool:
    """True when genai-prices prices the model by tokens, or lists it with no price at all (free, as
    moderation is). A model priced only in other units (tts per character, realtime per audio hour)
    would come out as $0 from token counts: that is unknown, never free."""
    units = [k for k, v in vars(model_price).items() if v is not None and not k.startswith("_")]
    return not units or any(k.endswith("_mtok") for k in units)
