"""HTML: body blocks as HTML and back, the article page, and the page exporter."""
