"""Fuzzing wirekit's importers (see ``run.py``); ``harness.py`` holds the property each checks."""
