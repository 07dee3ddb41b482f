"""What every page needs to know about the account's password."""

from cuentas.backends import contrasena_permitida_a


def contrasena(request) -> dict:
    """«Cambiar contraseña» only where a password can still be used to enter."""
    return {"contrasena_local": contrasena_permitida_a(getattr(request, "user", None))}
