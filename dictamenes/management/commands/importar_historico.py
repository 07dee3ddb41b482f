from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dictamenes.services import importacion


class Command(BaseCommand):
    help = (
        "Importa las solicitudes de años anteriores al sistema desde un CSV (UTF-8) o XLSX con "
        "las columnas: " + ", ".join(importacion.NOMBRES) + ". Todas las filas o ninguna."
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
        if not archivo.is_file():
            raise CommandError(f"No existe el archivo {archivo}.")
        try:
            solicitudes = importacion.historico_importar(
                nombre=archivo.name, contenido=archivo.read_bytes(), usuario=persona
            )
        except importacion.ImportacionError as exc:
            raise CommandError(
                "No se importó nada:\n" + "\n".join(f"- {e}" for e in exc.errores)
            ) from exc
        ejercicios = sorted({s.ejercicio for s in solicitudes})
        self.stdout.write(
            f"{len(solicitudes)} solicitudes importadas "
            f"(ejercicios {', '.join(map(str, ejercicios))})."
        )
