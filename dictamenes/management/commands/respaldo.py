import re
from contextvars import ContextVar
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.operacion.services.respaldo import ErrorRespaldo, respaldo_crear
from estandares.entradas import entero_argumento
from estandares.progreso import FALLIDO, HECHO, Progreso

# True while this command writes a backup: the `dumpdata` it runs (through call_command, in
# operacion.services.respaldo) writes everything, password hashes, second factors and tokens
# included, which a restore needs and production's `dumpdata` alone refuses or redacts
# (cuentas.servidor.con_nombre reads it, as RESTAURANDO in restaurar.py). The file it writes
# is the secret: its owner's alone (0600), copied off the server encrypted.
RESPALDANDO: ContextVar[bool] = ContextVar("respaldando", default=False)


def destino_de(destino: str) -> Path:
    """The .tar to write: the path given or, for a folder (the timer's), a new file in it named
    after the moment, dictamenes-20261122-020000.tar."""
    ruta = Path(destino)
    if ruta.is_dir():
        return ruta / f"dictamenes-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
    return ruta


# The names destino_de gives (and the older timer's, without seconds): only these are pruned.
FECHADO = re.compile(r"dictamenes-\d{8}-\d{4}(\d{2})?\.tar")


def respaldos_podar(carpeta: Path, *, conservar: int) -> list[Path]:
    """Delete the folder's dated backups but the `conservar` newest (their names sort by
    date); nothing else in the folder is touched. Returns what was deleted."""
    fechados = sorted(p for p in carpeta.iterdir() if FECHADO.fullmatch(p.name) and p.is_file())
    viejos = fechados[:-conservar] if len(fechados) > conservar else []
    for viejo in viejos:
        viejo.unlink()
    return viejos


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Escribe un respaldo consistente (un .tar): volcado de la base de datos, todos los "
        "archivos almacenados y un manifiesto con sus huellas SHA-256. Muestra su avance. "
        "Con una carpeta como destino, el archivo lleva la fecha y la hora en su nombre."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destino",
            help="Ruta del .tar que se creará (no debe existir), o una carpeta donde crear "
            "dictamenes-AAAAMMDD-HHMMSS.tar.",
        )
        parser.add_argument(
            "--conservar",
            type=entero_argumento,
            default=0,
            metavar="N",
            help="Con una carpeta: después de un respaldo completo, borra los respaldos con "
            "fecha de la carpeta salvo los N más recientes (incluido el nuevo). 0: no borra.",
        )

    def handle(self, *args, destino, conservar, **options):
        if conservar < 0:
            raise CommandError("--conservar es un número de respaldos: 0 o más.")
        carpeta = Path(destino) if Path(destino).is_dir() else None
        if conservar and carpeta is None:
            raise CommandError("--conservar necesita una carpeta como destino, no un archivo.")
        destino = destino_de(destino)
        verbosidad = options["verbosity"]
        marca = RESPALDANDO.set(True)
        try:
            with Progreso(
                salida=self.stdout,
                verbosidad=verbosidad,
                titulo="Respaldo",
                etiquetas={HECHO: "copiados", FALLIDO: "faltantes o alterados"},
            ) as progreso:
                resultado = respaldo_crear(
                    destino=Path(destino), avisar=progreso.avisar, avance=progreso
                )
        except ErrorRespaldo as exc:
            raise CommandError(str(exc)) from exc
        finally:
            RESPALDANDO.reset(marca)
        m = resultado.manifiesto
        archivos = m["archivos"]
        if verbosidad:
            self.stdout.write(
                f"Respaldo escrito en {resultado.ruta} en {resultado.segundos:.1f} s: "
                f"{m['volcado']['objetos']} objetos de la base de datos, {len(archivos)} "
                f"archivos ({sum(a['bytes'] for a in archivos)} bytes), cadena de auditoría "
                f"hasta el evento #{m['auditoria']['numero']}."
            )
            self.stdout.write(f"SHA-256 del respaldo: {resultado.sha256_tar}")
        self.corrida_mensaje = (
            f"{resultado.ruta} ({sum(a['bytes'] for a in archivos)} bytes de archivos), "
            f"SHA-256 {resultado.sha256_tar}"
        )
        if not resultado.completo:
            raise CommandError(
                "El respaldo quedó INCOMPLETO (así consta en su manifiesto): "
                + " ".join(m["problemas"])
            )
        if verbosidad:
            self.stdout.write(self.style.SUCCESS("Respaldo completo."))
        # Only after a complete one: a failed night never costs the older good backups.
        if conservar and (borrados := respaldos_podar(carpeta, conservar=conservar)):
            self.stdout.write(
                f"Se borraron {len(borrados)} respaldos viejos (se conservan {conservar}): "
                + ", ".join(p.name for p in borrados)
            )
