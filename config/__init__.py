"""The project's configuration: split settings, the URLconf, the API router, content policy,
health, metrics and the request log middleware, and the writers map."""
