"""The commands besides build: serve, check, new."""
