"""A published tree: publishing into it, its manifest, its index page, and checking every file of
it."""
