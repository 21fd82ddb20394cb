"""Spend over many calls, read from the history: reports and chart series, budgets, forecasts and what-
if re-pricing."""
