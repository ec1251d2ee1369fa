"""What the last build did, so the next one can skip what has not changed."""
