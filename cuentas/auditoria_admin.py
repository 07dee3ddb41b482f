"""Every write made in the admin, by anyone, superusers included, goes into the audit chain.

Django's admin writes a LogEntry for each addition, change and deletion it makes (and for each
password it sets). A receiver of that LogEntry's post_save writes the audit event. The admin's
add, change and delete views run inside a transaction, so the change, its log entry and its
audit event commit or roll back together; where a view has none, the event gets its own.
"""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from dictamenes.comun.auditoria import evento_registrar

ACCIONES = {
    ADDITION: ("admin_alta", "agregó"),
    CHANGE: ("admin_cambio", "cambió"),
    DELETION: ("admin_baja", "eliminó"),
}


def entrada_auditar(*, entrada):
    """The audit event of one admin log entry."""
    tipo, verbo = ACCIONES[entrada.action_flag]
    modelo = ContentType.objects.get_for_id(entrada.content_type_id)
    quien = entrada.user
    with transaction.atomic():
        return evento_registrar(
            tipo=tipo,
            descripcion=f"{quien.get_full_name() or quien.username} {verbo} "
            f"{modelo.name} «{entrada.object_repr}» en el panel de administración",
            usuario=quien,
            datos={
                "modelo": f"{modelo.app_label}.{modelo.model}",
                "objeto": str(entrada.object_id),
                "cambios": entrada.change_message,
                "superusuario": quien.is_superuser,
            },
        )


def al_guardar_entrada(sender, instance, created, **kwargs):
    if created and not kwargs.get("raw"):
        entrada_auditar(entrada=instance)
