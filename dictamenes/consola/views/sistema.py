"""«Estado del sistema» (issue 49): what the installation's operator must know before users
do, item by item with its state, since when and what to do. The same items as
`manage.py estado_del_sistema` (dictamenes.operacion.selectors.estado). Read only: viewing it
tells nobody; the periodic command sends the e-mail."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone

from dictamenes.comun.cache import huella_del_contenido
from dictamenes.operacion.selectors.asuntos import ATENCION, FALLA, peor
from dictamenes.operacion.selectors.estado import asuntos_de, estado_del_sistema
from dictamenes.organizacion.selectors.usuarios import administra_roles

ERROR_NO_ADMINISTRADOR = "Solo una persona administradora ve el estado del sistema."


@login_required
def sistema(request):
    if not administra_roles(usuario=request.user):
        raise PermissionDenied(ERROR_NO_ADMINISTRADOR)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    ahora = timezone.now()
    secciones = estado_del_sistema(ahora=ahora)
    asuntos = asuntos_de(secciones)
    return render(
        request,
        "cuentas/sistema.html",
        {
            "ahora": ahora,
            "secciones": secciones,
            # What the sections say, every field of every item: the key under which the page
            # renders them once (cuentas/sistema.html); made of the content, it cannot go stale.
            "huella": huella_del_contenido(secciones),
            "estado": peor(asuntos),
            "fallas": sum(a.estado == FALLA for a in asuntos),
            "atenciones": sum(a.estado == ATENCION for a in asuntos),
        },
    )
