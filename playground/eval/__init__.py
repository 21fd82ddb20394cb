"""Evaluation: suites of cases x columns, checks, runs recorded in History, summaries."""
