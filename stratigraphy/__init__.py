"""Borehole stratigraphy extraction engine (layers, depths, descriptions, metadata)."""
