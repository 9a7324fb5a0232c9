"""The SQL backend of the store (SQLite and PostgreSQL through SQLAlchemy): every SQL statement lives here."""
