"""One e-mail to the administrators when items of the system's state turn red (issue 49):
one for all the items that fail, not one per check, through the outbox; and not again while
they stay red. `estado_del_sistema` remembers, in its run's record, which items were red and
told; an item that turns green drops out, so turning red again is told again."""

from django.db import transaction
from django.urls import reverse

from dictamenes.avisos.services import MOTIVO_ADMINISTRADOR, aviso_encolar, url_absoluta
from dictamenes.models import Aviso, CorridaPeriodica
from dictamenes.operacion.selectors.asuntos import FALLA, Asunto, fecha
from dictamenes.organizacion.selectors.usuarios import correos_de_administradores

NOMBRE = "estado_del_sistema"


def rojos_avisados() -> set[str]:
    """The red items the last good run of estado_del_sistema had already told (or found red
    when it could not tell them)."""
    datos = (
        CorridaPeriodica.objects.filter(nombre=NOMBRE, resultado=CorridaPeriodica.Resultado.OK)
        .order_by("-inicio", "-id")
        .values_list("datos", flat=True)
        .first()
    )
    return set((datos or {}).get("rojos", []))


@transaction.atomic
def alerta_avisar(*, asuntos: list[Asunto], avisados: set[str]) -> tuple[Aviso | None, set[str]]:
    """Queue one e-mail for every red item when at least one is red and not yet told; returns
    the aviso (None when nothing new, or nobody to tell) and the red items now told."""
    rojos = [a for a in asuntos if a.estado == FALLA]
    claves = {a.clave for a in rojos}
    nuevos = [a for a in rojos if a.clave not in avisados]
    if not nuevos:
        return None, claves & avisados
    asunto = (
        f"El sistema necesita atención: {len(rojos)} asunto(s) en falla"
        if len(rojos) > 1
        else f"El sistema necesita atención: {rojos[0].titulo}"
    )
    mensaje = (
        "La revisión del estado del sistema encontró lo siguiente en falla. Cada asunto dice "
        "desde cuándo y qué hacer; la página «Estado del sistema» muestra todo, también lo que "
        "solo pide atención.\n\nNo se volverá a avisar de estos asuntos mientras sigan en falla; "
        "sí de cada asunto nuevo que falle."
    )
    detalles = [
        (
            ("Nuevo · " if a.clave not in avisados else "Sigue · ") + a.titulo,
            a.detalle
            + (f" Desde: {fecha(a.desde)}." if a.desde else "")
            + (f" Qué hacer: {a.que_hacer}" if a.que_hacer else ""),
        )
        for a in sorted(rojos, key=lambda a: a.clave in avisados)
    ]
    aviso = aviso_encolar(
        asunto=asunto,
        mensaje=mensaje,
        destinatarios=correos_de_administradores(),
        detalles=detalles,
        enlace=url_absoluta(reverse("cuentas:sistema")),
        accion="Ver el estado del sistema",
        motivo=MOTIVO_ADMINISTRADOR,
    )
    return aviso, claves if aviso is not None else claves & avisados
