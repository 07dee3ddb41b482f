"""Pages of the procedure: the request and its items, steps, tracks, quotes, prices,
self-assessment and survey."""
