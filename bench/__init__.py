"""Benchmarks that print numbers (not tests): `make bench` runs `python -m bench.run`."""
