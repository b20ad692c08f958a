"""Triple stores: the embedded Oxigraph store and SPARQL 1.1 endpoints, and loading articles into
them."""
