"""The network guard and the sitecustomize that installs it in child processes."""
