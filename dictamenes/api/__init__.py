"""The REST API under /api/v1/ (DRF): requests, dictámenes, public register, indicators and
savings, with its OpenAPI schema helpers."""
