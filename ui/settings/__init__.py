"""Settings: keys, endpoints and price overrides."""
