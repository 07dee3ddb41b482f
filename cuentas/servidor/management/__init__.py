"""The house's versions of Django's account commands (an app of its own, placed before
django.contrib.auth)."""
