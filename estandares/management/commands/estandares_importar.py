from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from estandares import exceptions, services
from estandares.progreso import FALLIDO, HECHO, Progreso


class Command(BaseCommand):
    help = (
        "Importa una edición de los estándares desde un archivo YAML, como borrador "
        "(o publicada con --publicar). Carga todo o nada y muestra su avance: si se interrumpe, "
        "no queda nada y se importa de nuevo."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", type=Path)
        parser.add_argument("--edicion", dest="version_edicion", help="Sustituye la versión.")
        parser.add_argument(
            "--publicar", action="store_true", help="Publica la edición en su fecha de vigencia."
        )

    def handle(self, *args, archivo: Path, version_edicion=None, publicar=False, **options):
        try:
            texto = archivo.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"No se pudo leer {archivo}: {exc}") from exc
        verbosidad = options["verbosity"]
        try:
            with Progreso(
                salida=self.stdout,
                verbosidad=verbosidad,
                titulo="Estándares",
                etiquetas={HECHO: "correctos", FALLIDO: "con errores"},
            ) as progreso:
                publicacion = services.publicacion_importar(
                    texto=texto, version=version_edicion, avance=progreso
                )
            if publicar:
                publicacion = services.publicacion_publicar(publicacion=publicacion)
        except exceptions.ImportacionError as exc:
            cuantos = len(exc.errores)
            raise CommandError(
                f"{archivo} no se importó ({cuantos} {'error' if cuantos == 1 else 'errores'}):\n"
                + "\n".join(exc.errores)
            ) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if verbosidad:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Edición {publicacion.version} importada ({publicacion.get_estado_display()})."
                )
            )
