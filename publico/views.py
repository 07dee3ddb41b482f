"""Anyone verifies a dictamen: by its folio (where the QR leads) or by uploading the PDF."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from dictamenes.comun import cache
from dictamenes.emision.documentos import efirma, informe
from dictamenes.emision.selectors import folios
from dictamenes.emision.services import integridad
from dictamenes.models import Dictamen
from dictamenes.organizacion.selectors import textos
from dictamenes.tramite.filtros import ParametrosRegistro
from dictamenes.tramite.selectors import decisiones
from dictamenes.tramite.selectors.access import dictamenes_publicos, solicitudes_visibles
from estandares.entradas import parametros_leer
from publico import datos_abiertos, estado, subida
from publico.forms import FolioForm, VerificarForm

# A folio typed (or a folio URL mistyped) that no dictamen has: said, not a bare 404, with the
# separators the institution's folios really use (its patterns', past ones too).
ERROR_FOLIO_NO_ENCONTRADO = _(
    "No hay un dictamen con el folio «%(folio)s». Revise que lo copió completo, con sus "
    "%(separadores)s, o suba el PDF."
)
ERROR_FOLIO_NO_ENCONTRADO_SIN_SEPARADORES = _(
    "No hay un dictamen con el folio «%(folio)s». Revise que lo copió completo o suba el PDF."
)


@require_safe
def verificar_folio(request, folio):
    try:
        # The folio is unique: get() asks for it without the model's ordering, which first()
        # would compile on every visit (issue 64: 4.4 → 4.0 ms in process at K=10).
        dictamen = (
            Dictamen.objects.select_related("solicitud__ente", "sustituye", "textos")
            .annotate(sustituto_folio=Dictamen.sustituto_folio_sql())
            .get(folio=folio)
        )
    except Dictamen.DoesNotExist:
        # Typed by hand: the same folio with other spaces or case leads to its page.
        return _folio_buscar(request, folio)
    sello_valido = efirma.sello_valido(
        certificado=efirma.x509.load_pem_x509_certificate(dictamen.certificado_pem.encode()),
        cadena=dictamen.cadena_original,
        sello=dictamen.sello,
    )
    puede_descargar = (
        request.user.is_authenticated
        and solicitudes_visibles(usuario=request.user).filter(pk=dictamen.solicitud_id).exists()
    )
    return render(
        request,
        "verificar/folio.html",
        {
            "dictamen": dictamen,
            "estado": estado.dictamen_estado(dictamen=dictamen),
            "sello_valido": sello_valido,
            "puede_descargar": puede_descargar,
            "membrete": textos.membrete_imagen_data_uri(dictamen.textos),
            "decisiones": decisiones.decisiones_de(dictamen=dictamen),
            "form": VerificarForm(),
        },
    )


@csrf_exempt
def verificar(request):
    """The upload handlers must be in place before the body is read, and CSRF's check reads
    it: so the check runs inside (Django's documented way), after them. A body announced
    over the limit is refused unread; refusing changes nothing, so it needs no token."""
    if request.method == "POST" and subida.demasiado_grande(request):
        form = VerificarForm({}, {}, error_subida=subida.error_grande())
        form.is_valid()
        return _verificar_pagina(request, form, None, status=413)
    if request.method in ("GET", "HEAD") and "folio" in request.GET:
        return _folio_buscar(request, request.GET["folio"])
    return _verificar(request, acotado=subida.preparar(request))


def _folio_buscar(request, folio: str):
    """To the dictamen's page when the folio is one, read without spaces and case; if not,
    the verification page with the folio typed and why nothing was found (404)."""
    folio_form = FolioForm({"folio": folio})
    if folio_form.is_valid():
        patrones = folios.patrones_de_folio()
        dictamen = folios.dictamen_por_folio(
            folio=folio_form.cleaned_data["folio"], patrones=patrones
        )
        if dictamen is not None:
            return redirect("verificar_folio", dictamen.folio)
        folio_form.add_error("folio", _no_encontrado(folio, patrones))
    return _verificar_pagina(request, VerificarForm(), None, status=404, folio_form=folio_form)


def _no_encontrado(folio: str, patrones: list[str]) -> str:
    """Why nothing was found, naming the separators of the folios: «con sus guiones»,
    «con sus diagonales y guiones» for an institution that changed its pattern."""
    nombres = folios.separadores(patrones)
    parametros = {"folio": " ".join(folio.split())}
    if not nombres:
        return ERROR_FOLIO_NO_ENCONTRADO_SIN_SEPARADORES % parametros
    juntos = nombres[0] if len(nombres) == 1 else f"{', '.join(nombres[:-1])} y {nombres[-1]}"
    return ERROR_FOLIO_NO_ENCONTRADO % {**parametros, "separadores": juntos}


@csrf_protect
def _verificar(request, *, acotado):
    es_post = request.method == "POST"
    form = VerificarForm(
        request.POST if es_post else None,
        request.FILES if es_post else None,
        error_subida=acotado.error if es_post else "",
    )
    resultado = None
    status = 200
    if es_post:
        if form.is_valid():
            try:
                resultado = integridad.pdf_subido_verificar(archivo=form.cleaned_data["pdf"])
            except ValidationError as exc:
                form.add_error("pdf", exc)
                status = 400
        else:
            status = 413 if acotado.error else 400
    return _verificar_pagina(request, form, resultado, status=status)


def _verificar_pagina(request, form, resultado, *, status, folio_form=None):
    # The dictamen's status goes with its authenticity: an authentic copy of a cancelled
    # dictamen must not read as one that counts.
    del_dictamen = (
        estado.dictamen_estado(dictamen=resultado.dictamen)
        if resultado and resultado.dictamen
        else None
    )
    sin_prueba = bool(resultado and resultado.sin_prueba)
    return render(
        request,
        "verificar/subir.html",
        {
            "form": form,
            "folio_form": folio_form or FolioForm(),
            "resultado": resultado,
            "estado": del_dictamen,
            # A stored dictamen whose signature can no longer be proven: named, with why.
            "sin_prueba": informe.sin_prueba_texto(resultado) if sin_prueba else "",
            "tono": resultado
            and estado.tono_del_resultado(
                autentico=resultado.autentico, estado=del_dictamen, sin_prueba=sin_prueba
            ),
        },
        status=status,
    )


@require_safe
@cache.pagina_publica
def registro(request):
    """Every issued dictamen, for anyone, without personal data."""
    from django.core.paginator import Paginator

    # A year or page that is not a number answers 400 with its message, and no rows.
    parametros = ParametrosRegistro(request.GET)
    leidos = parametros_leer(request, parametros)
    qs = dictamenes_publicos()
    if parametros.errors:
        qs = qs.none()
    elif leidos.get("ejercicio") is not None:
        qs = qs.filter(solicitud__ejercicio=leidos["ejercicio"])
    # By folio (issue 78): the one dictamen it names, found as the verification page finds
    # it (at most three queries on the unique index), and with the year if both are given.
    folio = leidos.get("folio", "")
    if folio:
        dictamen = folios.dictamen_por_folio(folio=folio)
        qs = qs.filter(pk=dictamen.pk) if dictamen is not None else qs.none()
    pagina = Paginator(qs.values_list("pk", flat=True), 50).get_page(leidos.get("p"))
    return render(
        request,
        "registro/registro.html",
        {
            "pagina": pagina,
            "filas": datos_abiertos.filas_con_estado(list(pagina)),
            "ejercicio": request.GET.get("ejercicio", "").strip(),
            "folio": request.GET.get("folio", "").strip(),
            "folio_buscado": folio,
        },
        status=400 if parametros.errors else 200,
    )
