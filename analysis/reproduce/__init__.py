"""The command lines that print each figure the dashboard shows again."""
