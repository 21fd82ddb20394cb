"""Shared plumbing: the background service, the stream hub and small shared widgets."""
