"""Beam transforms and the command line: each composite wraps rules from `claims/`."""
