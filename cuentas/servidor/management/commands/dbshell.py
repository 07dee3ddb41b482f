"""Django's `dbshell`, in the name of who opens it (issue 77, item 2): in production it requires
--usuario, an active administrator, and writes «abrió una consola de la base de datos…» before
the database's client starts. The client's parameters (after --) go in as their length and
SHA-256: a query may carry a password (cuentas.servidor.con_nombre)."""

from django.core.management.commands import dbshell

from cuentas.servidor.con_nombre import ConNombre


class Command(ConNombre, dbshell.Command):
    help = (
        "Abre el cliente de la base de datos. En producción pide --usuario y deja en la "
        "auditoría quién lo abrió, antes de abrirlo."
    )
    consola = True
    ocultos = ("parameters",)

    def descripcion(self, *, por, options):
        return (
            f"{por.username} abrió una consola de la base de datos «{options['database']}» "
            "(dbshell) en el servidor"
        )
