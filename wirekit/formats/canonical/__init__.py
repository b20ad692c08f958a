"""The canonical article JSON, in and out: one article (``json``) or JSON Lines (``jsonl``).

The model is itself a format (pandoc's idea): these plugins read and write exactly what the schema
describes, with the model version in the ``$schema`` it names."""
