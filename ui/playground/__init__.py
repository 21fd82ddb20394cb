"""The Playground tab: prompt editor, model picker, parameters, output and counters."""
