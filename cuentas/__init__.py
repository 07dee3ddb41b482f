"""Sign-in and identity: second factor, lockout, identity providers (OpenID Connect, Llave-style
OAuth2) and the pages of accounts and roles. No models."""
