"""createsuperuser, changepassword and drf_create_token with the house's rules: named --usuario,
audited."""
