"""One package per format family: its reader, writer, vocabulary and conformance check side by side.

Format packages import the core modules (``wirekit.model``, ``wirekit.plugin``, ...), never the
site, the stores, the server or the command line (``tests/test_import_graph.py``). Between
families, only shared pieces are imported, downwards: the canonical JSON parser (ninjs, JSON-LD,
feeds), the HTML rendering of body blocks (ninjs, feeds), the text reader's headline and dateline
helpers (JSON-LD, feeds), and the NewsML-G2 vocabulary and body reader (NITF)."""
