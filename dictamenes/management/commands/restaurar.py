from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dictamenes.operacion.services.respaldo import ErrorRespaldo, respaldo_restaurar
from estandares.progreso import HECHO, OMITIDO, Progreso


class Command(BaseCommand):
    help = (
        "Restaura un respaldo de `respaldo` en una instalación vacía (migrada y sin datos): "
        "verifica el respaldo, carga los datos y los archivos y verifica dictámenes y "
        "auditoría. Muestra su avance."
    )

    def add_arguments(self, parser):
        parser.add_argument("origen", help="Ruta del archivo .tar del respaldo.")
        parser.add_argument(
            "--forzar",
            action="store_true",
            help="Restaurar aunque la instalación tenga datos: TODO su contenido se reemplaza.",
        )

    def handle(self, *args, origen, forzar=False, **options):
        verbosidad = options["verbosity"]
        try:
            with Progreso(
                salida=self.stdout,
                verbosidad=verbosidad,
                titulo="Restauración",
                etiquetas={HECHO: "hechos", OMITIDO: "ya presentes"},
            ) as progreso:
                r = respaldo_restaurar(
                    origen=Path(origen), forzar=forzar, avisar=progreso.avisar, avance=progreso
                )
        except ErrorRespaldo as exc:
            raise CommandError(str(exc)) from exc
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
