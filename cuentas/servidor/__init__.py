"""Django's own server commands on accounts (`createsuperuser`, `changepassword`), put through
the house's doors (issue 59). An app of its own, listed before django.contrib.auth: Django runs
a command from the first app that has it. No models, no templates, no admin."""
