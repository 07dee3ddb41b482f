"""django-axes' `axes_reset_username`, in the name of who runs it (see axes_reset)."""

from axes.management.commands import axes_reset_username

from cuentas.servidor.con_nombre import ConNombre


class Command(ConNombre, axes_reset_username.Command):
    help = (
        "Borra los intentos de entrada y los bloqueos de unas cuentas. En producción pide "
        "--usuario y queda en la auditoría."
    )

    def descripcion(self, *, por, options):
        return (
            f"{por.username} borró en el servidor los intentos de entrada y bloqueos de "
            + ", ".join(f"«{u}»" for u in options["username"])
        )
