"""Forms of the organisation's pages: areas, agencies and institution texts."""
