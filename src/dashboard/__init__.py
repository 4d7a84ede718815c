"""Bilateral-relations news dashboard: ingestion pipeline, queries and charts."""
