"""Management commands of the flow."""
