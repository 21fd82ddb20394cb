"""Token usage of one call, in one shape whatever the provider."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Usage:
    """Token usage information from a model response.

    ``input_tokens`` counts every prompt token, cached ones included (OpenAI's convention;
    the Anthropic adapter adds its separate cache counts in). ``output_tokens`` includes
    reasoning tokens. The ``*_estimated`` flags say the number is our count, not the provider's.
    ``cache_write_tokens`` counts every cache write; ``cache_write_1h_tokens`` is the part of them
    written for one hour (Anthropic's ``cache_creation.ephemeral_1h_input_tokens``), billed at its own
    higher rate.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    input_estimated: bool = False
    output_estimated: bool = False
    cache_write_1h_tokens: int = 0

    def with_output(self, output_tokens: int, estimated: bool) -> Usage:
        return replace(self, output_tokens=output_tokens, output_estimated=estimated)
