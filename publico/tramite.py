"""Public page "¿Cómo es el trámite?": the procedure drawn, with the deadline of each step as
the administrator has set it (table PlazoEtapa) and the documents to bring. Anyone may read it."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from dictamenes.models import Anexo, Area, PlazoEtapa
from dictamenes.selectors import tramite

Etapa = PlazoEtapa.Etapa

# The documents a request carries (Anexo.Tipo). Only the oficio is required to present it
# (solicitudes.validar_para_presentar); the others are what the reviewers usually need.
DOCUMENTOS = (
    (
        Anexo.Tipo.OFICIO,
        True,
        _(
            "El oficio con el que la dependencia o entidad pide el dictamen. Es el único "
            "documento indispensable: sin él la solicitud no se puede presentar."
        ),
    ),
    (
        Anexo.Tipo.ANEXO_TECNICO,
        False,
        _("Las especificaciones técnicas de cada bien o servicio que se solicita."),
    ),
    (
        Anexo.Tipo.COTIZACION,
        False,
        _(
            "Una o varias cotizaciones vigentes, para valorar calidad, precio y oportunidad "
            "del mercado."
        ),
    ),
    (
        Anexo.Tipo.JUSTIFICACION,
        False,
        _("Por qué se necesita y cómo se alinea con los programas de gobierno digital."),
    ),
)


def _dias(n: int) -> str:
    return ngettext("%(n)d día hábil", "%(n)d días hábiles", n) % {"n": n}


@require_safe
def como(request):
    plazos = {str(etapa): _dias(tramite.plazo_dias(etapa=etapa)) for etapa in Etapa}
    documentos = [
        {"nombre": tipo.label, "requerido": requerido, "descripcion": descripcion}
        for tipo, requerido, descripcion in DOCUMENTOS
    ]
    areas = list(Area.objects.filter(activa=True).values_list("nombre", flat=True))
    return render(
        request,
        "tramite/como.html",
        {"plazos": plazos, "documentos": documentos, "areas": areas},
    )
