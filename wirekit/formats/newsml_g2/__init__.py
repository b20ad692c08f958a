"""IPTC NewsML-G2 2.35: the vocabulary, the newsItem reader and writer, and the newsMessage
writer."""
