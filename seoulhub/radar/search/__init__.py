"""Radar search: one interface, two full-text engines, an embedding index and rank fusion.

Framework-free parts (no Django import; they work on a DB-API cursor and plain token streams):
`query` (token groups with taxonomy-alias expansion), `sqlite_fts` (SQLite FTS5, BM25),
`postgres_fts` (PostgreSQL tsvector + GIN), `vectors` (multilingual embedding index), `fusion`
(reciprocal rank fusion), `snippets` (highlighted excerpts). `service` ties them to the Article
model (filters, facets, one row per story cluster, cached ranking for deep pages).
"""
