"""Django's `flush`, refused in production (issue 77, item 2). It empties every table: the
people, the procedure and the audit chain itself, so no event could survive to say who ran it,
and a name asked first would be erased with the rest. A whole installation is replaced with
`restaurar --forzar --usuario`: it verifies the backup, runs this command and `loaddata`
itself, and audits the replacement in the restored chain. In development, the demo and the
suite (DICTAMENES_COMANDOS_CON_NOMBRE off) it is Django's."""

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.utils.translation import gettext_lazy as _

from cuentas.servidor.con_nombre import con_nombre, restaurando

ERROR_EN_PRODUCCION = _(
    "En producción «flush» no se corre: vaciaría todas las tablas, también la cadena de "
    "auditoría, y ningún evento quedaría para decir quién lo hizo. Para reponer una "
    "instalación entera use «restaurar» con un respaldo verificado (con --forzar y --usuario "
    "si tiene datos). No se borró nada."
)


class Command(flush.Command):
    help = (
        "Vacía todas las tablas. En producción se rechaza: una instalación se repone con "
        "«restaurar»."
    )

    def handle(self, **options):
        if con_nombre() and not restaurando():
            raise CommandError(str(ERROR_EN_PRODUCCION))
        return super().handle(**options)
