"""Writes of people: accounts, roles, positions, identities and dual control of their changes."""
