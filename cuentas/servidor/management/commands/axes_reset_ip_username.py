"""django-axes' `axes_reset_ip_username`, in the name of who runs it (see axes_reset)."""

from axes.management.commands import axes_reset_ip_username

from cuentas.servidor.con_nombre import ConNombre


class Command(ConNombre, axes_reset_ip_username.Command):
    help = (
        "Borra los intentos de entrada y los bloqueos de una cuenta desde una dirección IP. En "
        "producción pide --usuario y queda en la auditoría."
    )

    def descripcion(self, *, por, options):
        return (
            f"{por.username} borró en el servidor los intentos de entrada y bloqueos de "
            f"«{options['username']}» desde {options['ip']}"
        )
