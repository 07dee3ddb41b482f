"""Reads of issuing: folios and the dictámenes a new one replaces."""
