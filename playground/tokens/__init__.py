"""Token counts as the APIs bill them, from tiktoken encodings shipped in resources/."""
