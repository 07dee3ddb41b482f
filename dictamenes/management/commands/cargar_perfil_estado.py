from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from dictamenes.models import Area, CambioPendiente
from dictamenes.operacion.services.cambios_tipos import PerfilEstado
from dictamenes.operacion.services.configuracion import (
    configuracion_pedir,
    hay_segundo_administrador,
)
from dictamenes.operacion.services.perfil_estado import PerfilInvalido, perfil_cargar, perfil_leer
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.roles import Rol


class Command(BaseCommand):
    help = (
        "Carga el perfil de un estado desde un archivo TOML: áreas de revisión y sus "
        "categorías, textos y membrete, patrones de folio y plazos de las etapas. Cada cambio "
        "queda en la bitácora a nombre de la persona administradora; correrlo dos veces no "
        "cambia nada la segunda."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", help="Ruta del perfil (TOML).")
        parser.add_argument(
            "--usuario",
            help="Usuario de la persona administradora que hace los cambios (por omisión, la "
            "primera persona administradora activa o superusuaria).",
        )

    def handle(self, *args, archivo, usuario=None, **options):
        por = self._administrador(usuario)
        if hay_segundo_administrador():
            self._pedir(archivo=archivo, por=por)
            return
        try:
            perfil = perfil_leer(Path(archivo))
            cambios = perfil_cargar(
                perfil=perfil, por=por, permitir_demo=settings.DICTAMENES_PERMITIR_DEMO
            )
        except PerfilInvalido as exc:
            raise CommandError(f"No se cargó nada. {exc}") from exc
        if not cambios:
            self.stdout.write(f"El perfil de {perfil['archivo']} ya estaba cargado: nada cambió.")
        else:
            for linea in cambios:
                self.stdout.write(f"  {linea}")
            self.stdout.write(
                self.style.SUCCESS(f"Perfil cargado ({len(cambios)} cambios, a nombre de {por}).")
            )
            self.stdout.write(
                "Esta instalación aún no tiene una segunda persona administradora: el perfil se "
                "aplicó directamente. Con dos, quedará pendiente hasta que la otra lo apruebe."
            )
        self._sin_normas(perfil)

    def _pedir(self, *, archivo, por):
        """With a second administrator, the whole profile is one change that waits for her."""
        try:
            perfil = perfil_leer(Path(archivo))
            cambio = configuracion_pedir(
                tipo=CambioPendiente.Tipo.PERFIL,
                accion="cargar",
                pedido={
                    **perfil,
                    "membrete_imagen": PerfilEstado.guardar_imagen(perfil["membrete_imagen"]),
                    "permitir_demo": settings.DICTAMENES_PERMITIR_DEMO,
                },
                por=por,
                motivo=f"Perfil del estado: {perfil['archivo']}",
            )
        except PerfilInvalido as exc:
            raise CommandError(f"No se cargó nada. {exc}") from exc
        except ValidationError as exc:
            if getattr(exc, "code", "") == "sin_cambios":
                self.stdout.write(
                    f"El perfil de {Path(archivo).name} ya estaba cargado: nada cambió."
                )
                self._sin_normas(perfil)
                return
            raise CommandError("No se cargó nada. " + " ".join(exc.messages)) from exc
        for fila in cambio.datos["filas"]:
            self.stdout.write(f"  {fila['despues']}")
        self.stdout.write(
            self.style.WARNING(
                f"Cambio pedido (n.º {cambio.pk}, a nombre de {por}): nada tiene efecto hasta "
                "que otra persona administradora lo apruebe en «Cambios por aprobar» "
                "(/cuentas/cambios/)."
            )
        )
        if perfil["sin_normas"]:
            self.stdout.write(
                "Aún no hay normas técnicas: cuando se apruebe el cambio, vuelva a correr este "
                "comando; dirá las claves de área que deben usar las normas al importarlas."
            )

    def _sin_normas(self, perfil):
        if perfil["sin_normas"]:
            claves = ", ".join(
                sorted(Area.objects.filter(activa=True).values_list("clave", flat=True))
            )
            self.stdout.write(
                "Aún no hay normas técnicas: impórtelas con estas claves de área en «area» "
                f"({claves}) y vuelva a correr este comando para revisar las categorías."
            )

    def _administrador(self, usuario):
        User = get_user_model()
        if usuario:
            por = User.objects.filter(username=usuario).first()
            if por is None or not administra_roles(usuario=por):
                raise CommandError(f"«{usuario}» no es una persona administradora activa.")
            return por
        por = (
            User.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=str(Rol.ADMINISTRADOR.label)))
            .distinct()
            .order_by("pk")
            .first()
        )
        if por is None:
            raise CommandError(
                "No hay ninguna persona administradora activa: cree una primero "
                "(README, «Adoptarlo en otro estado») o indique --usuario."
            )
        return por
