"""Radar search: two full-text engines behind one interface, a vector index, rank fusion.

Framework-free: `query`, `sqlite_fts`, `postgres_fts`, `vectors`, `fusion`, `snippets`, `hybrid`.
`service` ties them to the Article model (filters, facets, one row per story, cached rankings).
"""
