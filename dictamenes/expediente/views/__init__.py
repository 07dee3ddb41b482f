"""The views of the request's page: the page (GET) and each POST on it, by subject."""
