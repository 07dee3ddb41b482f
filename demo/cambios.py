"""Two changes waiting in «Cambios por aprobar», asked by `admin`, for `admin2` to approve or
reject: a role of the procedure and a new institutional e-mail. Through the same services as
the pages, so each has its audit event."""

from django.contrib.auth import get_user_model

from dictamenes.models import CambioPendiente
from dictamenes.personas.services import control_dual, personas
from dictamenes.roles import Rol


def cargar() -> int:
    if CambioPendiente.objects.exists():
        return 0
    User = get_user_model()
    admin = User.objects.get(username="admin")
    personas.rol_otorgar(
        usuario=User.objects.get(username="estrategico"),
        rol=Rol.FIRMANTE,
        por=admin,
        motivo="Suplirá al Subsecretario en la firma durante el periodo vacacional de diciembre.",
    )
    control_dual.cambio_identidad_pedir(
        persona=User.objects.get(username="requirente.rc"),
        por=admin,
        motivo="El Registro Civil migró a su dominio institucional; lo pidió por oficio.",
        email="requirente.rc@registrocivil.demo.invalid",
    )
    return 2
