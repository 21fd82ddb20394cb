"""Comparisons: columns, sweeps and statistics, running them, blind votes."""
