"""Provider adapters; ``make_provider`` picks one by the endpoint's API style."""

from __future__ import annotations

from playground.llm.providers.base import Provider, ProviderFailure, ProviderOptions


def make_provider(options: ProviderOptions) -> Provider:
    # Imported here: the SDKs are heavy and the GUI must start before they load.
    if options.endpoint.api == "anthropic":
        from playground.llm.providers.anthropic_messages import AnthropicProvider

        return AnthropicProvider(options)
    if options.endpoint.api == "openai-responses":
        from playground.llm.providers.openai_responses import OpenAIResponsesProvider

        return OpenAIResponsesProvider(options)
    from playground.llm.providers.openai_chat import OpenAIChatProvider

    return OpenAIChatProvider(options)


__all__ = ["Provider", "ProviderFailure", "ProviderOptions", "make_provider"]
