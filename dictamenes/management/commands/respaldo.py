from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.operacion.services.respaldo import ErrorRespaldo, respaldo_crear
from estandares.progreso import FALLIDO, HECHO, Progreso


def destino_de(destino: str) -> Path:
    """The .tar to write: the path given or, for a folder (the timer's), a new file in it named
    after the moment, dictamenes-20261122-020000.tar."""
    ruta = Path(destino)
    if ruta.is_dir():
        return ruta / f"dictamenes-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
    return ruta


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

    def handle(self, *args, destino, **options):
        destino = destino_de(destino)
        verbosidad = options["verbosity"]
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
