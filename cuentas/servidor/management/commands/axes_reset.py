"""django-axes' `axes_reset`, in the name of who runs it (issue 77, item 2): unlocking lets
guessing go on, so in production it requires --usuario, an active administrator, and its event
commits with the reset (cuentas.servidor.con_nombre). The same for the other five resets."""

from axes.management.commands import axes_reset

from cuentas.servidor.con_nombre import ConNombre


class Command(ConNombre, axes_reset.Command):
    help = (
        "Borra todos los intentos de entrada y los bloqueos. En producción pide --usuario y "
        "queda en la auditoría."
    )

    def descripcion(self, *, por, options):
        return f"{por.username} borró en el servidor todos los intentos de entrada y bloqueos"
