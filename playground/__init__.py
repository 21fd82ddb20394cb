"""LLM Playground core: providers, token counting, pricing, history and keys. Never imports Qt."""

__version__ = "0.1.0"
