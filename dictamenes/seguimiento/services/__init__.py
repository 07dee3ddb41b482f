"""Writes of the follow-up: conditions and evidence, validity reminders, contracts."""
