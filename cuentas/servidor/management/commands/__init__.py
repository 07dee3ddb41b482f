"""Django's, DRF's and django-axes' commands with the house's rules: a named --usuario, audited;
in production, `loaddata` and `flush` refuse what would go around the product's doors."""
