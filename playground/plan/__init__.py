"""Plan a workload's monthly bill across models, and what caching, batching and trimming save."""
