"""Management commands of the standards catalogue."""
