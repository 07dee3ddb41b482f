from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dictamenes.management.administrador import administrador_del_comando
from dictamenes.models import CambioPendiente
from dictamenes.operacion.services.configuracion import (
    configuracion_pedir,
    hay_segundo_administrador,
)
from estandares import exceptions, services
from estandares.models import Publicacion
from estandares.progreso import FALLIDO, HECHO, Progreso


class Command(BaseCommand):
    # It lives in dictamenes, not in estandares, since issue 59: publishing asks the change
    # through the dual control of dictamenes.operacion, which the standards' app may not import.
    help = (
        "Importa una edición de los estándares desde un archivo YAML, como borrador. Con "
        "--publicar y --usuario, además pide publicarla en su fecha de vigencia: la edición "
        "vigente lo sigue siendo hasta que otra persona administradora lo aprueba en «Cambios "
        "por aprobar» (/cuentas/cambios/). Carga todo o nada y muestra su avance: si se "
        "interrumpe, no queda nada y se importa de nuevo."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", type=Path)
        parser.add_argument("--edicion", dest="version_edicion", help="Sustituye la versión.")
        parser.add_argument(
            "--publicar",
            action="store_true",
            help="Pide publicar la edición en su fecha de vigencia (con --usuario).",
        )
        parser.add_argument(
            "--usuario",
            help="Usuario de la persona administradora que pide publicarla (obligatorio con "
            "--publicar).",
        )
        parser.add_argument(
            "--motivo",
            help="Por qué se publica (oficio, boletín); por omisión, el archivo importado.",
        )

    def handle(
        self,
        *args,
        archivo: Path,
        version_edicion=None,
        publicar=False,
        usuario=None,
        motivo=None,
        **options,
    ):
        # Who asks is known before anything is read or written.
        por = administrador_del_comando(usuario=usuario) if publicar or usuario else None
        try:
            texto = archivo.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"No se pudo leer {archivo}: {exc}") from exc
        verbosidad = options["verbosity"]
        cambio = None
        try:
            # The draft and the request to publish it: both or neither.
            with transaction.atomic():
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
                    cambio = self._pedir(
                        publicacion=publicacion, por=por, motivo=motivo, archivo=archivo
                    )
        except exceptions.ImportacionError as exc:
            cuantos = len(exc.errores)
            raise CommandError(
                f"{archivo} no se importó ({cuantos} {'error' if cuantos == 1 else 'errores'}):\n"
                + "\n".join(exc.errores)
            ) from exc
        except ValidationError as exc:
            raise CommandError(f"{archivo} no se importó: " + " ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{archivo} no se importó: {exc}") from exc
        if not verbosidad:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Edición {publicacion.version} importada ({publicacion.get_estado_display()})."
            )
        )
        if cambio is None:
            return
        vigente = Publicacion.objects.filter(estado=Publicacion.Estado.VIGENTE).first()
        self.stdout.write(
            self.style.WARNING(
                f"Publicación pedida (cambio n.º {cambio.pk}, a nombre de {por}): "
                + (f"la edición {vigente.version} sigue vigente; " if vigente else "")
                + "nada tiene efecto hasta que otra persona administradora lo apruebe en "
                "«Cambios por aprobar» (/cuentas/cambios/)."
            )
        )
        if not hay_segundo_administrador():
            self.stdout.write(
                "Aún no hay otra persona administradora activa que pueda aprobarlo: dé de alta "
                "la segunda (manual de operación, «Instalar en un servidor Debian 12», paso 8: "
                "«Las personas administradoras»; en el sistema, /manual/operacion/debian/)."
            )

    @staticmethod
    def _pedir(*, publicacion, por, motivo, archivo):
        """Publishing is a change of the rules: asked as the page «Ediciones» asks it."""
        if publicacion.vigente_desde is None:
            raise ValidationError(exceptions.ERROR_SIN_FECHA, code="sin_fecha")
        return configuracion_pedir(
            tipo=CambioPendiente.Tipo.EDICION,
            accion="publicar",
            pedido={
                "publicacion": publicacion.pk,
                "vigente_desde": publicacion.vigente_desde.isoformat(),
            },
            por=por,
            motivo=(motivo or "").strip()
            or f"Edición {publicacion.version} importada de {archivo.name}",
        )
