"""Django's `shell`, in the name of who opens it (issue 77, item 2): in production it requires
--usuario, an active administrator, and writes «abrió una consola…» before it opens. What is
typed in it is not seen; that it was opened, by whom and when, is (cuentas.servidor.con_nombre).
The code of -c goes in as its length and SHA-256: it may carry a password."""

from django.core.management.commands import shell

from cuentas.servidor.con_nombre import ConNombre


class Command(ConNombre, shell.Command):
    help = (
        "Abre una consola de Python con la aplicación cargada. En producción pide --usuario "
        "y deja en la auditoría quién la abrió, antes de abrirla."
    )
    consola = True
    ocultos = ("command",)

    def descripcion(self, *, por, options):
        orden = options.get("command") or ""
        return f"{por.username} abrió una consola de Python (shell) en el servidor" + (
            f" para correr una orden (-c) de {len(orden)} caracteres" if orden else ""
        )
