"""estandares_exportar: the catalogue as a file (read only)."""
