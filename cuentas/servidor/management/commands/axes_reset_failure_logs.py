"""django-axes' `axes_reset_failure_logs`, in the name of who runs it (see axes_reset): the log
of failed sign-ins is evidence, and erasing it is audited."""

from axes.management.commands import axes_reset_failure_logs

from cuentas.servidor.con_nombre import ConNombre


class Command(ConNombre, axes_reset_failure_logs.Command):
    help = (
        "Borra el registro de intentos fallidos de más de --age días. En producción pide "
        "--usuario y queda en la auditoría."
    )

    def descripcion(self, *, por, options):
        return (
            f"{por.username} borró en el servidor el registro de intentos fallidos de más de "
            f"{options['age']} días"
        )
