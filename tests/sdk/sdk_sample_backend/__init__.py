"""A tiny backend used by the SDK tests (echoes state, fails on request)."""
