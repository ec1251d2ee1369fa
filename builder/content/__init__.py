"""Reading and validating source files: text in, immutable pages and Markdown HTML out."""
