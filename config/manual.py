"""The manuals at /manual/: the static site that `manage.py manual_construir` (`make docs`, the
installation and each update) builds from docs/ (MkDocs, Material theme) into
settings.DICTAMENES_MANUAL_DIR, served as it is, to anyone.

Where that folder holds no site, every address under /manual/ answers with a page that says so
and how to build it (templates/manual_no_construido.html), not with «Página no encontrada»,
which hid the reason. Its status is 404: the answer is about these addresses (this server has
no file for them), not about the service, which works; 503 would promise, with its
Retry-After, that waiting is enough, and it is not: someone has to build the manual.

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
from django.shortcuts import render
from django.utils._os import safe_join
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
@csp_replace({"script-src": [SELF, UNSAFE_INLINE], "style-src": [SELF, UNSAFE_INLINE]})
def manual(request, ruta: str = ""):
    raiz = Path(settings.DICTAMENES_MANUAL_DIR)
    if not (raiz / "index.html").is_file():
        return render(request, "manual_no_construido.html", status=404)
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
