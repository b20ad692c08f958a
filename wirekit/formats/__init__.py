"""One package per format family: its reader, writer, vocabulary and conformance check side by side.

Format packages import the core modules (``wirekit.model``, ``wirekit.plugin``, ...) and never each
other, except the shared HTML rendering of body blocks and the schema.org mapping that several
families draw on."""
