"""Benchmarks and evaluations: each script takes the data folder as an argument and never runs in the test suite."""
