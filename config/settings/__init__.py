"""Split settings (cookiecutter-django style): base, local, test, bench and production, plus
storage and identity providers, all read from DJANGO_-prefixed variables."""
