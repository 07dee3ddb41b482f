"""django-axes' `axes_reset_ip`, in the name of who runs it (see axes_reset)."""

from axes.management.commands import axes_reset_ip

from cuentas.servidor.con_nombre import ConNombre


class Command(ConNombre, axes_reset_ip.Command):
    help = (
        "Borra los intentos de entrada y los bloqueos de unas direcciones IP. En producción "
        "pide --usuario y queda en la auditoría."
    )

    def descripcion(self, *, por, options):
        return (
            f"{por.username} borró en el servidor los intentos de entrada y bloqueos desde "
            + ", ".join(options["ip"])
        )
