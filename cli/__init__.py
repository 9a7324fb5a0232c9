"""The command lines, on top of every layer: `python -m analysis` and `python -m collectors`."""
