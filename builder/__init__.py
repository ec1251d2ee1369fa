"""localoffer: a static site generator for accessible SEND progress updates."""

__version__ = "0.1.0"
