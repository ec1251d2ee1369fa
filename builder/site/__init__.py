"""The whole site: its settings, links between pages, and the index of what is published."""
