"""The hostile-input corpus: bad files, what each must produce (``manifest.toml``), and the
machinery that runs them through every command in a guarded child process."""
