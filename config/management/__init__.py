"""The site's own management commands (config.management.commands)."""
