"""The ClickHouse backend: chdb:///PATH (chDB, in-process) and clickhouse(s)://USER@HOST:PORT/DB (a server)."""
