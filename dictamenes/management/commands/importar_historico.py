"""Imports earlier years' requests from a CSV or XLSX, every row checked first."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dictamenes.management.administrador import operador_comprobar
from dictamenes.operacion.services import importacion
from estandares.progreso import HECHO, OMITIDO, Progreso


class Command(BaseCommand):
    help = (
        "Importa las solicitudes de años anteriores al sistema desde un CSV (UTF-8) o XLSX con "
        "las columnas: " + ", ".join(importacion.NOMBRES) + ". Revisa todas las filas antes de "
        "escribir: con un error no entra ninguna. Muestra su avance; si se interrumpe, importar "
        "el mismo archivo otra vez continúa: las filas ya importadas se omiten."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", type=Path)
        parser.add_argument(
            "--usuario", required=True, help="Quien importa (queda en el historial de auditoría)."
        )

    def handle(self, *args, archivo: Path, usuario: str, **options):
        try:
            persona = get_user_model().objects.get(username=usuario, is_active=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No hay un usuario activo «{usuario}».") from exc
        # Anyone active imports (not only an administrator), and only as herself (issue 93).
        operador_comprobar(usuario=persona.username)
        if not archivo.is_file():
            raise CommandError(f"No existe el archivo {archivo}.")
        verbosidad = options["verbosity"]
        try:
            with Progreso(
                salida=self.stdout,
                verbosidad=verbosidad,
                titulo="Importación histórica",
                etiquetas={HECHO: "importadas", OMITIDO: "ya importadas"},
                reanudar="Importe otra vez el mismo archivo: continúa donde se quedó.",
            ) as progreso:
                resultado = importacion.historico_importar(
                    nombre=archivo.name,
                    contenido=archivo.read_bytes(),
                    usuario=persona,
                    avance=progreso,
                )
        except importacion.ImportacionError as exc:
            raise CommandError(
                "No se importó nada:\n" + "\n".join(f"- {e}" for e in exc.errores)
            ) from exc
        if not verbosidad:
            return
        solicitudes = resultado.solicitudes
        ejercicios = sorted({s.ejercicio for s in solicitudes})
        self.stdout.write(
            f"{len(solicitudes)} solicitudes importadas"
            + (f" (ejercicios {', '.join(map(str, ejercicios))})" if solicitudes else "")
            + (f"; {resultado.omitidas} ya estaban importadas." if resultado.omitidas else ".")
        )
