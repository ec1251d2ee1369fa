"""One small planner per output family, in the spirit of Pelican's one writer method per
output kind. Each is a plain function of the site index (and what it needs) returning its
Outputs; builder.render.outputs calls them in turn."""
