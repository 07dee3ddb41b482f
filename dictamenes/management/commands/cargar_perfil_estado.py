from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from dictamenes.models import Area
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
