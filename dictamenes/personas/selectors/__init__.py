"""Reads of people: the account changes waiting for a second administrator."""
