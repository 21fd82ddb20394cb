"""The "Price as" choices of the endpoint form: every provider and model genai-prices knows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PriceChoice:
    """``value`` goes into Endpoint.price_as: a provider id ("openai") or provider/model."""

    value: str
    label: str


def price_choices() -> list[PriceChoice]:
    """Providers first (each model of theirs priced by its own name), then each known model."""
    from genai_prices import data_snapshot

    providers = sorted(data_snapshot.get_snapshot().providers, key=lambda p: p.id)
    choices = [
        PriceChoice(p.id, f"{p.id}: each model at {p.name}'s price for the same name") for p in providers
    ]
    for p in providers:
        for m in sorted(p.models, key=lambda m: m.id):
            if not getattr(m, "deprecated", False):
                choices.append(PriceChoice(f"{p.id}/{m.id}", f"{p.id}/{m.id}"))
    return choices
