"""The forms of the request's pages, one module per page part."""
