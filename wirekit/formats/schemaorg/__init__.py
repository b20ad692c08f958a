"""schema.org: one mapping of an article to a graph, the pinned JSON-LD context, the JSON-LD reader
and writer, and the RDF writers (Turtle, N-Triples, N-Quads, TriG, RDF/XML) drawn from the same
mapping."""
