"""The web calculator and the HTTP API (FastAPI)."""
