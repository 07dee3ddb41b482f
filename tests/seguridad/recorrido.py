"""Walk the URL configuration and the OpenAPI schema; fill URL parameters from the test world."""

import contextlib
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Patron:
    clave: str  # the namespaced name, or the route itself when it has none
    ruta: str  # the full route, as written in the URLconf


def patrones(resolver=None, prefijo="", ns=None):
    """Every URL pattern of the project, recursively, with its namespaced name."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            sub_ns = ns
            if p.namespace:
                sub_ns = f"{ns}:{p.namespace}" if ns else p.namespace
            yield from patrones(p, prefijo + str(p.pattern), sub_ns)
        elif isinstance(p, URLPattern):
            ruta = prefijo + str(p.pattern)
            nombre = f"{sub}:{p.name}" if (sub := ns) and p.name else p.name
            yield Patron(clave=nombre or ruta, ruta=ruta)


_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<nombre>\w+)>")


def llenar(ruta: str, valores: dict) -> str:
    """The route with each <conv:name> replaced by valores[name]."""

    def poner(m):
        return str(valores[m["nombre"]])

    return "/" + _PARAM.sub(poner, ruta)


def operaciones_del_esquema() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI schema, from drf-spectacular."""
    from drf_spectacular.generators import SchemaGenerator

    esquema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (metodo.upper(), ruta)
        for ruta, ops in esquema["paths"].items()
        for metodo in ops
        if metodo in {"get", "post", "put", "patch", "delete"}
    )


# Default values of our own URL parameters: names of entries in Mundo.ids (the table may say
# otherwise for a route).
PARAMETROS = {
    "pk": "revision",
    "partida_pk": "revision:partida",
    "anexo_pk": "revision:anexo",
    "peticion": "peticion",
    "tarea_pk": "tarea_redes",
    "dictamen_pk": "dictamen",
    "folio": "folio",
    "version": "version",
    "clave": "categoria_clave",
}
FIJOS = {
    "area": "redes",
    "formato": "csv",
    "uidb64": "MQ",
    "token": "abc-123",
    "format": ".json",
}


def _valores_admin(patron: Patron, mundo) -> dict:
    from django.apps import apps

    partes = patron.ruta.split("/")
    valores = {
        "id": mundo.ids["admin_user"],
        "object_pk": mundo.ids["ente"],
        "user_id": mundo.ids["admin_user"],
        "group_id": mundo.ids["grupo"],
        "content_type_id": mundo.ids["ct_solicitud"],
    }
    if patron.ruta.startswith("admin/r/"):
        valores["object_id"] = mundo.ids["revision"]
    elif len(partes) > 3 and "<" not in partes[1] + partes[2]:
        with contextlib.suppress(LookupError):
            modelo = apps.get_model(partes[1], partes[2])
            # DRF's token admin names a token by its user, not by its key.
            campo = "user_id" if modelo._meta.model_name == "tokenproxy" else "pk"
            valores["object_id"] = _primera(modelo, campo)
            # A model admin's own pages (<int:pk>/config/, <int:pk>/publicar/) name a row of
            # that model: never another model's id that only happens to exist.
            valores["pk"] = valores["object_id"]
    return valores


def _primera(modelo, campo="pk"):
    return modelo._default_manager.order_by("pk").values_list(campo, flat=True).first()


def url_de(patron: Patron, mundo, parametros: dict | None = None) -> str:
    """A concrete URL for the pattern, with parameters taken from the test world."""
    if "(?P<url>" in patron.ruta:  # the admin's catch-all
        return "/admin/no-existe/"
    if patron.clave == "admin:app_list":
        return "/admin/dictamenes/"
    return llenar(patron.ruta, valores_de(patron, mundo, parametros))


def valores_de(patron: Patron, mundo, parametros: dict | None = None) -> dict:
    """The values of the pattern's URL parameters in the test world."""
    valores = {n: mundo.ids[k] for n, k in PARAMETROS.items()} | FIJOS
    if patron.ruta.startswith("admin/"):
        valores |= _valores_admin(patron, mundo)
    if "<int:task_pk>" in patron.ruta:
        nodo = patron.clave.split(":")[-2]
        proceso, tarea = mundo.tareas_por_nodo.get(nodo, (mundo.ids["revision:proceso"], 999999))
        valores |= {"process_pk": proceso, "task_pk": tarea}
    elif "<int:process_pk>" in patron.ruta:
        valores["process_pk"] = mundo.ids["revision:proceso"]
    for nombre, clave in (parametros or {}).items():
        valores[nombre] = mundo.ids.get(clave, clave)
    return valores
