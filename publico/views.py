"""Anyone verifies a dictamen: by its folio (where the QR leads) or by uploading the PDF."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from dictamenes import cache
from dictamenes.documentos import efirma
from dictamenes.models import Dictamen
from dictamenes.selectors import tramite
from dictamenes.services import integridad
from publico import datos_abiertos
from publico.forms import VerificarForm


def verificar_folio(request, folio):
    dictamen = get_object_or_404(
        Dictamen.objects.select_related("solicitud__ente", "sustituye"), folio=folio
    )
    sello_valido = efirma.sello_valido(
        certificado=efirma.x509.load_pem_x509_certificate(dictamen.certificado_pem.encode()),
        cadena=dictamen.cadena_original,
        sello=dictamen.sello,
    )
    puede_descargar = (
        request.user.is_authenticated
        and tramite.solicitudes_visibles(usuario=request.user)
        .filter(pk=dictamen.solicitud_id)
        .exists()
    )
    return render(
        request,
        "verificar/folio.html",
        {
            "dictamen": dictamen,
            "sello_valido": sello_valido,
            "puede_descargar": puede_descargar,
            "rectificaciones": list(dictamen.rectificaciones.all()),
            "form": VerificarForm(),
        },
    )


def verificar(request):
    form = VerificarForm(request.POST or None, request.FILES or None)
    resultado = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                resultado = integridad.pdf_subido_verificar(archivo=form.cleaned_data["pdf"])
            except ValidationError as exc:
                form.add_error("pdf", exc)
                status = 400
        else:
            status = 400
    return render(
        request, "verificar/subir.html", {"form": form, "resultado": resultado}, status=status
    )


@cache.pagina_publica
def registro(request):
    """Every issued dictamen, for anyone, without personal data."""
    from django.core.paginator import Paginator

    qs = tramite.dictamenes_publicos()
    ejercicio = request.GET.get("ejercicio", "")
    if ejercicio.isdigit():
        qs = qs.filter(solicitud__ejercicio=int(ejercicio))
    pagina = Paginator(qs.values_list("pk", flat=True), 50).get_page(request.GET.get("p"))
    return render(
        request,
        "registro/registro.html",
        {
            "pagina": pagina,
            "filas": datos_abiertos.filas(list(pagina)),
            "ejercicio": ejercicio,
        },
    )


def datos_abiertos_indice(request):
    return render(
        request, "registro/datos_abiertos.html", {"diccionario": datos_abiertos.DICCIONARIO}
    )


def datos_abiertos_csv(request):
    return StreamingHttpResponse(
        datos_abiertos.csv_lineas(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="dictamenes.csv"'},
    )


def datos_abiertos_json(request):
    return StreamingHttpResponse(
        datos_abiertos.json_trozos(), content_type="application/json; charset=utf-8"
    )


def datos_abiertos_dcat(request):
    return JsonResponse(
        datos_abiertos.catalogo_dcat(),
        json_dumps_params={"ensure_ascii": False},
        content_type="application/ld+json; charset=utf-8",
    )
