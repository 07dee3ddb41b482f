"""Reads of the follow-up: conditions with their evidence, and contracts under a dictamen."""
