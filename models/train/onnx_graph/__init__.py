"""Decoder graphs written straight from weights (no tracing): see README.md in this folder."""
