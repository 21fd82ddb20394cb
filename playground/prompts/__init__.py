"""The prompt library (issue 18): named prompts saved as numbered versions in the history database."""
