"""What every page needs to know about the account's password."""

from cuentas.backends import contrasena_permitida


def contrasena(request) -> dict:
    """«Cambiar contraseña» only where a password can still be used to enter."""
    usuario = getattr(request, "user", None)
    return {"contrasena_local": contrasena_permitida(getattr(usuario, "username", None))}
