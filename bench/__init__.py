"""Benchmarks: they print figures and assert nothing. Run one with ``python -m bench.<name>``."""
