"""Django's own server commands on accounts and data (`createsuperuser`, `changepassword`,
DRF's `drf_create_token`; since issue 77 `loaddata`, `flush`, `shell`, `dbshell` and
django-axes' resets, see con_nombre), put through the house's doors (issues 59 and 77). An app
of its own, listed first in INSTALLED_APPS: Django runs a command from the first app that has
it. No models, no templates, no admin."""
