"""`restaurar`: a verified backup into this installation (dictamenes.operacion.services.respaldo).

Into an empty installation (just migrated: no people, agencies, requests, dictámenes or events)
it needs no name: nobody's data is replaced, there is nobody yet to name, and the restored
audit chain is exactly the backup's. With --forzar it replaces everything an installation
holds, its people and its audit chain included (issue 77, item 2): the active administrator
who does it names herself with --usuario, and the restored chain's next event says who
replaced what, in the restore's transaction."""

from contextlib import nullcontext
from contextvars import ContextVar
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.management.administrador import administrador_del_comando
from dictamenes.operacion.services.respaldo import (
    ErrorRespaldo,
    datos_existentes,
    respaldo_restaurar,
)
from estandares.progreso import HECHO, OMITIDO, Progreso

# True while this command restores: the `flush` and `loaddata` that the restore runs (through
# call_command, in operacion.services.respaldo) act for it, which refuse or ask a name in
# production when run alone (cuentas.servidor.con_nombre reads it; cuentas sits above
# dictamenes, so the flag lives down here).
RESTAURANDO: ContextVar[bool] = ContextVar("restaurando", default=False)

ERROR_FORZAR_SIN_USUARIO = _(
    "Con --forzar la restauración reemplaza todo el contenido de esta instalación, sus "
    "personas y su auditoría incluidas: indique con --usuario USUARIO a la persona "
    "administradora que lo hace; queda a su nombre en la auditoría de la instalación "
    "restaurada. Si ya nadie administra esta instalación, vacíela (borre la base, créela de "
    "nuevo y migre) y restaure sin --forzar. No se escribió nada."
)


class Command(BaseCommand):
    help = (
        "Restaura un respaldo de `respaldo` en una instalación vacía (migrada y sin datos): "
        "verifica el respaldo, carga los datos y los archivos y verifica dictámenes y "
        "auditoría. Muestra su avance. Con --forzar reemplaza una instalación con datos, a "
        "nombre de --usuario (auditado)."
    )

    def add_arguments(self, parser):
        parser.add_argument("origen", help="Ruta del archivo .tar del respaldo.")
        parser.add_argument(
            "--forzar",
            action="store_true",
            help="Restaurar aunque la instalación tenga datos: TODO su contenido se reemplaza. "
            "Pide --usuario.",
        )
        parser.add_argument(
            "--usuario",
            help="Con --forzar (obligatorio): usuario de la persona administradora que "
            "reemplaza la instalación; queda a su nombre en la auditoría.",
        )

    def handle(self, *args, origen, forzar=False, **options):
        verbosidad = options["verbosity"]
        por, reemplazados = None, {}
        if forzar:
            if not (options.get("usuario") or "").strip():
                raise CommandError(str(ERROR_FORZAR_SIN_USUARIO))
            por = administrador_del_comando(usuario=options["usuario"])
            reemplazados = datos_existentes()
        marca = RESTAURANDO.set(True)
        try:
            # --forzar: the restore and the event that names who forced it, one commit.
            with (
                Progreso(
                    salida=self.stdout,
                    verbosidad=verbosidad,
                    titulo="Restauración",
                    etiquetas={HECHO: "hechos", OMITIDO: "ya presentes"},
                ) as progreso,
                transaction.atomic() if por else nullcontext(),
            ):
                r = respaldo_restaurar(
                    origen=Path(origen), forzar=forzar, avisar=progreso.avisar, avance=progreso
                )
                if por is not None:
                    _auditar_forzada(por=por, origen=origen, reemplazados=reemplazados)
        except ErrorRespaldo as exc:
            raise CommandError(str(exc)) from exc
        finally:
            RESTAURANDO.reset(marca)
        if not verbosidad:
            return
        c = r.conteos
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauración completa en {r.segundos:.1f} s: {r.objetos} objetos "
                f"({c.get('auth.user', 0)} usuarios, {c.get('dictamenes.solicitud', 0)} "
                f"solicitudes, {c.get('dictamenes.dictamen', 0)} dictámenes) y {r.archivos} "
                f"archivos ({r.bytes_archivos} bytes). Verificados: {r.anexos_verificados} "
                f"anexos contra su SHA-256, {r.dictamenes_verificados} dictámenes (SHA-256 del "
                f"PDF, firma PAdES y sello digital) y la cadena de auditoría "
                f"({r.eventos_verificados} eventos)."
            )
        )


def _auditar_forzada(*, por, origen: str, reemplazados: dict) -> None:
    """The first event after the restored chain's head. The account that ran the command was
    a row of the replaced installation, gone with it: the event names her by her username and
    links to no account (one with that username in the backup may be someone else)."""
    resumen = ", ".join(f"{n} {k}" for k, n in reemplazados.items()) or "vacía"
    evento_registrar(
        tipo="restauracion_forzada",
        descripcion=f"{por.username} restauró en el servidor con --forzar el respaldo "
        f"«{Path(origen).name}»: reemplazó todo el contenido de la instalación ({resumen})",
        datos={
            "comando": "restaurar",
            "argumentos": {"origen": str(origen), "forzar": True},
            "operador": {"id": por.pk, "username": por.username},
            "reemplazados": reemplazados,
        },
    )
