"""IPTC NITF 3.x: the importer, the exporter and what they share."""
