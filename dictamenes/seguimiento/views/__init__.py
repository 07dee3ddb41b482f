"""Pages of the follow-up: conditions and their evidence, contracts."""
