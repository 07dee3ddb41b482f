"""Writes of the organisation: areas, calendar, agencies, institution texts and the emergency
account."""
