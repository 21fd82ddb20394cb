"""Money for one call: prices (genai-prices, its updates and overrides), the Money type with an
explicit unknown, and estimates before a call."""
