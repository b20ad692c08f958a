"""IPTC ninjs: the vocabulary, the 2.x/3.x reader, and the 3.1 and 2.2 writers."""
