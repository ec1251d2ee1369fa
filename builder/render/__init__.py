"""Turning the site index into files: pages through Jinja, feeds, calendar, sitemap, search."""
