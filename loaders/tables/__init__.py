"""Locate and parse the three template tables in a token stream (see loaders.tokens)."""
