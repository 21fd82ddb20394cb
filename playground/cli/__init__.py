"""The `playground` command line: argument parsing and one function per command."""
