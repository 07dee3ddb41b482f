"""The manuals at /manual/: the static site that `make docs` builds from docs/ (MkDocs,
Material theme) into settings.DICTAMENES_MANUAL_DIR, served as it is, to anyone.

Only files inside that directory are served (django.views.static.serve joins the path safely),
a directory answers with its index.html, and each file carries the content type of its name.
Material's pages run a few inline scripts (the colour scheme, the search's configuration) and
set inline styles: those pages, which hold nothing a visitor typed, get a policy that allows
inline scripts and styles of their own origin; every other page keeps the site's policy."""

from pathlib import Path

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponseRedirect
from django.utils._os import safe_join
from django.views.decorators.http import require_safe
from django.views.static import serve

NO_CONSTRUIDO = "El manual no está construido: ejecute «make docs»."


@require_safe
@csp_replace({"script-src": [SELF, UNSAFE_INLINE], "style-src": [SELF, UNSAFE_INLINE]})
def manual(request, ruta: str = ""):
    raiz = Path(settings.DICTAMENES_MANUAL_DIR)
    if not (raiz / "index.html").is_file():
        raise Http404(NO_CONSTRUIDO)
    try:
        destino = Path(safe_join(raiz, ruta))
    except SuspiciousFileOperation as exc:  # ../ out of the site
        raise Http404(ruta) from exc
    if destino.is_dir():
        if ruta and not ruta.endswith("/"):
            # The pages' relative links count from the directory: keep the final slash.
            return HttpResponseRedirect(request.path + "/")
        ruta = f"{ruta}index.html"
    return serve(request, ruta, document_root=raiz)
