"""A small SDK for Label Studio ML backends (compatible with Label Studio 1.23)."""
