import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dictamenes.emision.documentos import informe
from dictamenes.emision.services import comprobacion


class Command(BaseCommand):
    help = (
        "Verifica el PDF de un dictamen sin conexión a la red y muestra el informe completo: "
        "si sus bytes son los de un dictamen emitido (folio y estado), la firma PAdES, la "
        "cadena de confianza, el sello de tiempo, los datos de validación a largo plazo y el "
        "sello digital de su cadena original. Termina con 0 si el documento es auténtico y "
        "con 1 si no lo es."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", help="El PDF del dictamen que se quiere verificar.")
        parser.add_argument("--json", action="store_true", help="Imprime el mismo informe en JSON.")

    def handle(self, *args, **options):
        ruta = Path(options["archivo"])
        try:
            datos = ruta.read_bytes()
        except OSError as exc:
            raise CommandError(f"No se pudo leer {ruta}: {exc.strerror}.") from exc
        resultado = informe.informe_armar(
            datos=datos, verificacion=comprobacion.pdf_verificar(datos=datos, con_red=False)
        )
        if options["json"]:
            self.stdout.write(json.dumps(resultado.como_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(resultado.como_texto())
        if not resultado.autentico:
            # Not a CommandError: the report is the answer, and the exit status tells scripts.
            sys.exit(1)
