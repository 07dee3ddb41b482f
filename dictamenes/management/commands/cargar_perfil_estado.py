from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dictamenes.management.administrador import administrador_del_comando
from dictamenes.models import Area, CambioPendiente
from dictamenes.operacion.services.cambios.tipos import PerfilEstado
from dictamenes.operacion.services.cambios.tipos_perfil import aviso_zona_horaria
from dictamenes.operacion.services.configuracion import (
    configuracion_pedir,
    hay_segundo_administrador,
)
from dictamenes.operacion.services.perfil_estado import PerfilInvalido, perfil_leer


class Command(BaseCommand):
    help = (
        "Pide cargar el perfil de un estado desde un archivo TOML: áreas de revisión y sus "
        "categorías, textos y membrete, patrones de folio y plazos de las etapas. El perfil "
        "entero es un cambio pendiente a nombre de --usuario: nada tiene efecto hasta que otra "
        "persona administradora lo aprueba en «Cambios por aprobar» (/cuentas/cambios/). "
        "Pedirlo cuando ya está cargado no pide nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", help="Ruta del perfil (TOML).")
        parser.add_argument(
            "--usuario",
            help="Usuario de la persona administradora que pide el cambio (obligatorio).",
        )
        parser.add_argument(
            "--motivo",
            help="Por qué (oficio, acuerdo); por omisión, «Perfil del estado: <archivo>».",
        )

    def handle(self, *args, archivo, usuario=None, motivo=None, **options):
        # Issue 59: never applied here, whatever the number of administrators. With a single
        # one the change waits until a second one exists and approves it.
        por = administrador_del_comando(usuario=usuario)
        try:
            perfil = perfil_leer(Path(archivo))
            cambio = configuracion_pedir(
                tipo=CambioPendiente.Tipo.PERFIL,
                accion="cargar",
                pedido={
                    **perfil,
                    "membrete_imagen": PerfilEstado.guardar_imagen(perfil["membrete_imagen"]),
                },
                por=por,
                motivo=(motivo or "").strip() or f"Perfil del estado: {perfil['archivo']}",
            )
        except PerfilInvalido as exc:
            raise CommandError(f"No se cargó nada. {exc}") from exc
        except ValidationError as exc:
            if getattr(exc, "code", "") == "sin_cambios":
                self.stdout.write(
                    f"El perfil de {Path(archivo).name} ya estaba cargado: nada cambió."
                )
                self._zona(perfil)
                self._sin_normas(perfil)
                return
            raise CommandError("No se cargó nada. " + " ".join(exc.messages)) from exc
        for fila in cambio.datos["filas"]:
            self.stdout.write(f"  {fila['despues']}")
        self._zona(perfil)
        self.stdout.write(
            self.style.WARNING(
                f"Cambio pedido (n.º {cambio.pk}, a nombre de {por}): nada tiene efecto hasta "
                "que otra persona administradora lo apruebe en «Cambios por aprobar» "
                "(/cuentas/cambios/)."
            )
        )
        if not hay_segundo_administrador():
            self.stdout.write(
                "Aún no hay otra persona administradora activa que pueda aprobarlo: dé de alta "
                "la segunda (manual de operación, «Instalar en un servidor Debian 12», paso 8: "
                "«Las personas administradoras»; en el sistema, /manual/operacion/debian/)."
            )
        if perfil["sin_normas"]:
            self.stdout.write(
                "Aún no hay normas técnicas: cuando se apruebe el cambio, vuelva a correr este "
                "comando; dirá las claves de área que deben usar las normas al importarlas."
            )

    def _zona(self, perfil):
        if aviso := aviso_zona_horaria(perfil):
            self.stdout.write(self.style.WARNING(aviso))

    def _sin_normas(self, perfil):
        if perfil["sin_normas"]:
            claves = ", ".join(
                sorted(Area.objects.filter(activa=True).values_list("clave", flat=True))
            )
            self.stdout.write(
                "Aún no hay normas técnicas: impórtelas con estas claves de área en «area» "
                f"({claves}) y vuelva a correr este comando para revisar las categorías."
            )
