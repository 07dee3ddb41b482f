"""Writes of the procedure, each a business step in one transaction with its audit event:
requests, stages, tasks, states, decisions, folios, tracks, deadlines, quotes, surveys."""
