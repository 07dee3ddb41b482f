"""`manage.py check --deploy`: dual control needs two people (issue 33). With fewer than two
active administrators, nobody can approve a role of the procedure or an identity change, and
the temptation is to hand the second account to the same person. The break-glass account
does not count: it cannot approve."""

from django.core.checks import Warning, register
from django.db import DatabaseError

from dictamenes.organizacion.services.emergencia import administradores_activos

W_ADMINISTRADORES = "cuentas.W001"


@register(deploy=True)
def dos_administradores(app_configs=None, databases=None, **kwargs):
    try:
        cuantos = administradores_activos().count()
    except DatabaseError:
        return []  # no database yet (before migrate): nothing to count
    if cuantos >= 2:
        return []
    return [
        Warning(
            f"Hay {cuantos} persona(s) administradora(s) activa(s) (sin contar la cuenta de "
            "emergencia): los roles del trámite y los cambios de correo, RFC o CURP necesitan "
            "que una persona administradora los pida y otra distinta los apruebe.",
            hint="Otorgue el rol de Administrador a una segunda persona (createsuperuser o "
            "«Personas y roles») antes de abrir el sistema.",
            id=W_ADMINISTRADORES,
        )
    ]
