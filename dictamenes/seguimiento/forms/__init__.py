"""The forms of what follows a dictamen on the request's page: the contract signed under it."""
