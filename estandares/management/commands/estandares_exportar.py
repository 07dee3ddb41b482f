from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from estandares import selectors
from estandares.models import Publicacion


class Command(BaseCommand):
    help = "Exporta una edición de los estándares a YAML (por omisión, la vigente hoy)."

    def add_arguments(self, parser):
        parser.add_argument("--edicion", dest="version_edicion", help="Versión a exportar.")
        parser.add_argument("--salida", help="Archivo de salida (por omisión, la consola).")

    def handle(self, *args, version_edicion=None, salida=None, **options):
        if version_edicion:
            publicacion = Publicacion.objects.filter(version=version_edicion).first()
        else:
            publicacion = selectors.publicacion_vigente(fecha=timezone.localdate())
        if publicacion is None:
            raise CommandError(
                f"No existe la edición {version_edicion}."
                if version_edicion
                else "No hay una edición vigente hoy."
            )
        texto = selectors.publicacion_exportar(publicacion=publicacion)
        if salida:
            with open(salida, "w", encoding="utf-8") as f:
                f.write(texto)
        else:
            self.stdout.write(texto, ending="")
