"""The forms of the dictamen's actions on the request's page: the e.firma to sign, cancel or
rectify it, and the proposal of a rectification."""
