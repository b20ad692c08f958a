"""Syndication feeds out: Atom, RSS 2.0, JSON Feed and the Google News sitemap, over common
helpers."""
