"""Reads of planning: the arrivals forecast from the record."""
