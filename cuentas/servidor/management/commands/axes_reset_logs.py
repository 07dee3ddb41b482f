"""django-axes' `axes_reset_logs`, in the name of who runs it (see axes_reset): the log of
sign-ins is evidence, and erasing it is audited."""

from axes.management.commands import axes_reset_logs

from cuentas.servidor.con_nombre import ConNombre


class Command(ConNombre, axes_reset_logs.Command):
    help = (
        "Borra el registro de entradas de más de --age días. En producción pide --usuario y "
        "queda en la auditoría."
    )

    def descripcion(self, *, por, options):
        return (
            f"{por.username} borró en el servidor el registro de entradas de más de "
            f"{options['age']} días"
        )
