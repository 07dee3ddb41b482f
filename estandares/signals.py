"""What the standards catalogue announces to the apps above it, which it never imports."""

from django.dispatch import Signal

# Sent inside the publishing transaction with `publicacion`, `usuario` (or None for a command)
# and `derogadas` (the editions it replaced): dictamenes writes the audit event.
edicion_publicada = Signal()
