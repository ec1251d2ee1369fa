"""Putting built files into output/ so that readers never see a half-written site."""
