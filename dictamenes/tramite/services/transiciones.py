"""What each step of the procedure writes when it moves a request: the new state, the audit
event's type, description, reason and data, and the result when it sets one.

The live steps (solicitudes, etapas, emision) and the history generator (demo/historico) take
them from here and hand them to the one door (estados), so the history cannot tell a different
story from the live flow. Each function returns the keyword arguments of
`estados.solicitud_mover` other than the request and the person.
"""

from django.utils import timezone

from dictamenes.models import Resultado, Solicitud
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.textos import textos_vigentes

Estado = Solicitud.Estado


def _fecha(momento) -> str:
    return f"{timezone.localtime(momento):%d/%m/%Y}"


def presentacion(*, folio: str, en_programa: bool, linea_pk, declarado, partidas) -> dict:
    descripcion = f"Solicitud presentada con folio {folio}"
    if not en_programa:
        descripcion += " (no estaba en el programa anual)"
    return {
        "estado": Estado.ADMISION,
        "tipo": "presentacion",
        "descripcion": descripcion,
        "datos": {
            "linea_programa": linea_pk,
            "monto_declarado": str(declarado),
            "monto_partidas": str(partidas),
        },
    }


def admision(*, areas) -> dict:
    return {
        "estado": Estado.REVISION_TECNICA,
        "tipo": "admision",
        "descripcion": "Solicitud admitida; pasa a revisión técnica",
        "datos": {"areas": sorted(areas)},
    }


def prevencion(*, vence, faltantes: str) -> dict:
    return {
        "estado": Estado.PREVENIDA,
        "tipo": "prevencion",
        "descripcion": f"Prevención emitida; plazo para subsanar hasta el {_fecha(vence)}",
        "motivo": faltantes,
        "datos": {"vence": vence.isoformat()},
    }


def subsanacion(*, respuesta: str) -> dict:
    return {
        "estado": Estado.ADMISION,
        "tipo": "subsanacion",
        "descripcion": "Prevención atendida; vuelve a admisión",
        "motivo": respuesta,
    }


def desechada(*, vence) -> dict:
    return {
        "estado": Estado.DESECHADA,
        "tipo": "desechada",
        "descripcion": "Solicitud desechada por vencimiento del plazo para subsanar",
        "motivo": f"No se subsanó la prevención dentro del plazo, que venció el {_fecha(vence)}.",
    }


def fin_revision_tecnica() -> dict:
    return {
        "estado": Estado.REVISION_ESTRATEGICA,
        "tipo": "fin_revision_tecnica",
        "descripcion": "Todas las áreas concluyeron; pasa a revisión estratégica",
    }


def devolucion(*, area, motivos: str) -> dict:
    return {
        "estado": Estado.REVISION_TECNICA,
        "tipo": "devolucion_area",
        "descripcion": f"Devuelta a {area} para re-revisión",
        "motivo": motivos,
        "datos": {"area": area.clave},
    }


def decision(*, resultado: str, condiciones: str, motivos: str, partidas=()) -> dict:
    """`partidas`: the decision on each item (services.decisiones.decisiones_guardar)."""
    return {
        "estado": Estado.FIRMA,
        "tipo": "decision_estrategica",
        "descripcion": f"Decisión estratégica: {Resultado(resultado).label}",
        "motivo": motivos,
        "datos": {"resultado": resultado, "condiciones": condiciones, "partidas": list(partidas)},
        "resultado": resultado,
    }


def dictamen_emitido(*, dictamen) -> dict:
    return {
        "estado": Estado.DICTAMINADA,
        "tipo": "dictamen",
        "descripcion": f"Dictamen {dictamen.folio} emitido: {dictamen.get_resultado_display()}",
        "datos": {
            "dictamen": dictamen.pk,
            "folio": dictamen.folio,
            "pdf_sha256": dictamen.pdf_sha256,
            "certificado": dictamen.certificado_numero,
        },
    }


def _cierre(*, estado, tipo: str, descripcion: str, motivo: str, pasos: list[str]) -> dict:
    """A request closed early, without a dictamen. `pasos`: the titles of the steps that were
    under way, cancelled with it."""
    return {
        "estado": estado,
        "tipo": tipo,
        "descripcion": descripcion,
        "motivo": motivo,
        "datos": {"pasos_cancelados": pasos},
    }


def desistimiento(*, motivo: str, pasos: list[str]) -> dict:
    """The agency withdraws its request."""
    return _cierre(
        estado=Estado.DESISTIDA,
        tipo="desistimiento",
        descripcion="La dependencia desistió de la solicitud; se cierra sin dictamen",
        motivo=motivo,
        pasos=pasos,
    )


def cancelacion(*, motivo: str, pasos: list[str]) -> dict:
    """The institution cancels the request (its deciding unit, for it)."""
    return _cierre(
        estado=Estado.CANCELADA,
        tipo="cancelacion_solicitud",
        descripcion=f"{con_articulo(textos_vigentes().institucion_nombre, mayuscula=True)} "
        "canceló la solicitud; se cierra sin dictamen",
        motivo=motivo,
        pasos=pasos,
    )
