"""Public pages of the catalogue: browse, compare, and the autoevaluación."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from estandares import cumplimiento, selectors
from estandares.entradas import parametros_leer
from estandares.forms import EspecificacionesForm, ParametrosAutoevaluacion, ParametrosComparar
from estandares.models import Perfil


def _publicada(version: str):
    return get_object_or_404(selectors.publicaciones_publicadas(), version=version)


def _con_totales(categorias) -> list:
    """Attach the number of requisitos to each category, from the prefetched rows."""
    categorias = list(categorias)
    for categoria in categorias:
        categoria.total_requisitos = sum(len(p.requisitos.all()) for p in categoria.perfiles.all())
    return categorias


def catalogo(request, version: str | None = None):
    hoy = timezone.localdate()
    publicacion = _publicada(version) if version else selectors.publicacion_vigente(fecha=hoy)
    contexto = {
        "publicacion": publicacion,
        "es_vigente": publicacion is not None
        and publicacion == selectors.publicacion_vigente(fecha=hoy),
        "ediciones": selectors.publicaciones_publicadas(),
        "categorias": _con_totales(selectors.categorias_de(publicacion=publicacion))
        if publicacion
        else [],
    }
    return render(request, "estandares/catalogo.html", contexto)


def categoria(request, version: str, clave: str):
    publicacion = _publicada(version)
    categoria = get_object_or_404(selectors.categorias_de(publicacion=publicacion), clave=clave)
    return render(
        request,
        "estandares/categoria.html",
        {"publicacion": publicacion, "categoria": categoria},
    )


def comparar(request):
    ediciones = list(selectors.publicaciones_publicadas().order_by("vigente_desde"))
    por_version = {p.version: p for p in ediciones}
    parametros = ParametrosComparar(request.GET)
    pedidas = parametros_leer(request, parametros)
    anterior = por_version.get(pedidas.get("anterior", ""))
    nueva = por_version.get(pedidas.get("nueva", ""))
    if anterior is None and nueva is None and len(ediciones) >= 2:
        anterior, nueva = ediciones[-2], ediciones[-1]
    diferencias = None
    if anterior and nueva:
        diferencias = selectors.publicaciones_comparar(anterior=anterior, nueva=nueva)
    return render(
        request,
        "estandares/comparar.html",
        {
            "ediciones": ediciones,
            "anterior": anterior,
            "nueva": nueva,
            "diferencias": diferencias,
        },
        status=400 if parametros.errors else 200,
    )


def autoevaluacion(request):
    publicacion = selectors.publicacion_vigente(fecha=timezone.localdate())
    perfiles = (
        selectors.perfiles_para_elegir(publicacion=publicacion)
        if publicacion
        else Perfil.objects.none()
    )
    parametros = ParametrosAutoevaluacion(
        {"perfil": request.POST.get("perfil") or request.GET.get("perfil")}
    )
    perfil_id = parametros_leer(request, parametros).get("perfil")
    contexto = {"publicacion": publicacion, "perfiles": perfiles, "perfil": None}
    if perfil_id is not None:
        try:
            perfil = selectors.perfil_con_requisitos(perfil_id=perfil_id)
        except Perfil.DoesNotExist as exc:
            raise Http404 from exc
        if perfil.categoria.publicacion.es_borrador:
            raise Http404
        spec = selectors.perfil_spec(perfil=perfil)
        form = EspecificacionesForm(request.POST if request.method == "POST" else None, perfil=spec)
        contexto.update(perfil=perfil, spec=spec, form=form)
        if request.method == "POST" and form.is_valid():
            contexto["evaluacion"] = cumplimiento.evaluar(spec, form.especificaciones())
    return render(
        request,
        "estandares/autoevaluacion.html",
        contexto,
        status=400 if parametros.errors else 200,
    )
