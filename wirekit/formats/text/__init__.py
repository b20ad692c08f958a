"""Plain wire copy in: the seed's text format."""
