"""Writes of planning: the annual programme and the forecast."""
