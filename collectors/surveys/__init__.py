"""Survey exports of every supported layout, read into one model (see model.py)."""
