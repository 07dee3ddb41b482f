"""The server's commands of the domain: periodic jobs, backups and restores, imports,
verification; each through the same service doors as the pages."""
