"""The strict access table: every URL of the URLconf, asked as every role, with one expected
answer each. It lives in tests/seguridad/tabla_acceso.txt, where a reviewer reads it.

The file is written from the URLconf by rules, not from what the server answers:
- our own routes: their rows in matriz.RUTAS, written by hand;
- the admin's: the administrator gets each page only if the model's admin grants that action
  (its has_*_permission, which reads the role's permissions in personas.PERMISOS_POR_ROL);
  everybody else is sent to the admin's login;
- viewflow's: who holds the flow's view permission sees lists and task details, a step is
  taken and acted on from the request's page, and no one, superusers included, may cancel,
  undo or revive.
A URL added to the URLconf changes what the rules write, so the file no longer matches and the
test names it; `ESCRIBIR_TABLA_ACCESO=1 pytest tests/seguridad/test_matriz_acceso.py` rewrites
the file, and the diff is what a reviewer reads.
"""

from dataclasses import dataclass
from pathlib import Path

from tests.seguridad import matriz
from tests.seguridad.recorrido import _PARAM, Patron

ARCHIVO = Path(__file__).with_name("tabla_acceso.txt")

# Column headings, in matriz.ROLES order.
ABREVIATURAS = {
    "anonimo": "anon",
    "requirente_a": "reqA",
    "requirente_b": "reqB",
    "mesa": "mesa",
    "revisor_infraestructura": "rInf",
    "revisor_redes": "rRed",
    "revisor_seguridad": "rSeg",
    "revisor_software": "rSof",
    "revisor_computo": "rCom",
    "estrategico": "estr",
    "firmante": "firm",
    "auditor": "audi",
    "administrador": "admi",
}
# How an answer is written in the file.
_ESCRITURA = {
    matriz.LOGIN: "→login",
    matriz.LOGIN_ADMIN: "→admin",
    matriz.REDIRIGE: "→",
    "permitido": "sí",
}
_LECTURA = {v: k for k, v in _ESCRITURA.items()}
# Routes answered per operation of the OpenAPI schema (matriz.API); the table points there.
API = "API"

# viewflow's actions that would change a process or a task behind the procedure's back.
ACCIONES_DE_GESTION = ("cancel", "undo", "revive")


@dataclass(frozen=True)
class Fila:
    clave: str
    ruta: str
    get: dict  # role → expected answer to GET ({} for routes asked through the API schema)


def escribir_respuesta(valor) -> str:
    assert isinstance(valor, int | str), f"una sola respuesta por rol, no {valor!r}"
    return _ESCRITURA.get(valor, str(valor))


def leer_respuesta(texto: str):
    if texto in _LECTURA:
        return _LECTURA[texto]
    return int(texto)


# --- The rules ------------------------------------------------------------------------------


def _fuera_del_admin(**roles) -> dict:
    return matriz.fila(matriz.LOGIN_ADMIN, **roles)


def _modelo_admin(patron: Patron):
    """The ModelAdmin behind admin/<app>/<model>/..., or None."""
    from django.contrib import admin

    partes = patron.ruta.split("/")
    if len(partes) < 3:
        return None
    for modelo, modelo_admin in admin.site._registry.items():
        if (modelo._meta.app_label, modelo._meta.model_name) == (partes[1], partes[2]):
            return modelo_admin
    return None


def _accion_admin(patron: Patron) -> str:
    if patron.ruta.endswith("<path:object_id>/"):
        return "object_id"
    return patron.clave.rsplit("_", 1)[-1] if patron.clave.startswith("admin:") else ""


def _puede_en_admin(modelo_admin, accion: str, peticion, objeto) -> object:
    """What the administrator gets from a model's admin page, by the model admin's own
    permission methods on the row the URL names (they read the role's permissions)."""
    if accion == "object_id":  # Django's old URL form redirects to the change page
        return matriz.REDIRIGE
    if accion == "publicar":  # only a draft is published; otherwise back to the list
        return 200 if modelo_admin.has_change_permission(peticion, objeto) else matriz.REDIRIGE
    if accion == "version":  # «nueva versión»: whoever may draft an edition
        return 200 if modelo_admin.has_add_permission(peticion) else matriz.REDIRIGE
    if accion == "add":
        return 200 if modelo_admin.has_add_permission(peticion) else 403
    if accion in ("changelist",):
        return 200 if modelo_admin.has_view_or_change_permission(peticion) else 403
    if objeto is None:  # a row the admin cannot find: back to the list
        return matriz.REDIRIGE
    puede = {
        "change": modelo_admin.has_view_or_change_permission,
        "history": modelo_admin.has_view_or_change_permission,
        "delete": modelo_admin.has_delete_permission,
    }.get(accion, modelo_admin.has_change_permission)  # guardian's and django-otp's pages
    return 200 if puede(peticion, objeto) else 403


def _objeto_admin(modelo_admin, patron: Patron, valores: dict, peticion):
    """The row the URL names, found the way the admin finds it (None if it finds none)."""
    nombres = [m["nombre"] for m in _PARAM.finditer(patron.ruta)]
    if not nombres:
        return None
    return modelo_admin.get_object(peticion, str(valores[nombres[0]]))


_ADMIN_FIJAS = {
    "admin:login": matriz.fila(200, administrador=matriz.REDIRIGE),
    "admin:logout": matriz.fila(matriz.REDIRIGE, administrador=405),
    "admin:index": _fuera_del_admin(administrador=200),
    # One's own password is changed on the audited page (cuentas.contrasenas, issue 33).
    "admin:password_change": _fuera_del_admin(administrador=matriz.REDIRIGE),
    # The world names the administrator's own account: sent to that same page. Someone
    # else's gets the page that only sends them a link (tests/cuentas/test_control_dual.py).
    "admin:auth_user_password_change": _fuera_del_admin(administrador=matriz.REDIRIGE),
    "admin:password_change_done": _fuera_del_admin(administrador=200),
    "admin:jsi18n": _fuera_del_admin(administrador=200),
    # Without the field it completes, autocomplete refuses; the admin's URL of an object on
    # the site, for an object with no site page, does not exist.
    "admin:autocomplete": _fuera_del_admin(administrador=403),
    "admin:view_on_site": _fuera_del_admin(administrador=404),
    "admin:app_list": _fuera_del_admin(administrador=200),
}


def esperado_admin(patron: Patron, peticion, valores: dict) -> dict:
    """`valores`: the URL parameters the test world fills in (recorrido.url_de)."""
    if patron.clave in _ADMIN_FIJAS:
        return _ADMIN_FIJAS[patron.clave]
    if "(?P<url>" in patron.ruta:  # the admin's catch-all: not a page
        return _fuera_del_admin(administrador=404)
    modelo_admin = _modelo_admin(patron)
    assert modelo_admin is not None, f"sin modelo en el admin: {patron.ruta}"
    objeto = _objeto_admin(modelo_admin, patron, valores, peticion)
    return _fuera_del_admin(
        administrador=_puede_en_admin(modelo_admin, _accion_admin(patron), peticion, objeto)
    )


# viewflow: only who holds the flow's view permission (the Subsecretaría and the auditor)
# gets past viewflow's door; everybody else gets 403, anonymous visitors included.
_VIEWFLOW = ("mesa", *matriz.REVISORES, "estrategico", "firmante", "auditor")


def _viewflow(para_quien_ve, **roles) -> dict:
    return matriz.fila(403, **(dict.fromkeys(_VIEWFLOW, para_quien_ve) | roles))


_VIEWFLOW_FIJAS = {
    "index": matriz.fila(matriz.REDIRIGE),
    "workflow:index": _viewflow(matriz.REDIRIGE),
    "workflow:inbox": _viewflow(200),
    "workflow:queue": _viewflow(200),
    "workflow:archive": _viewflow(200),
    "workflow:flows:index": _viewflow(matriz.REDIRIGE),
    "workflow:flows:dictamen:index": _viewflow(200),
    "workflow:flows:dictamen:process_list": _viewflow(200),
    "workflow:flows:dictamen:process_detail": _viewflow(200),
    "workflow:flows:dictamen:task_list": _viewflow(200),
    "workflow:flows:dictamen:chart": _viewflow(200),
    "workflow:flows:dictamen:process_chart": _viewflow(200),
    # The bulk assign and unassign of the lists: nothing is selected, so back to the list.
    "workflow:tasks_assign": _viewflow(matriz.REDIRIGE),
    "workflow:tasks_unassign": _viewflow(matriz.REDIRIGE),
    # Cancelling a whole process: never through viewflow.
    "workflow:flows:dictamen:process_cancel": _viewflow(403),
}


_QUIEN_TOMA = {
    "admision": ("mesa",),
    "revision_estrategica": ("estrategico",),
    "firma": ("firmante",),
}


def candidatos(nodo: str, *, area_devuelta: str | None = None, area: str | None = None) -> tuple:
    """The roles that may take a free task of the node (the flow's .Permission of each step):
    a technical review's are its area's reviewers (`area`, the task's), a re-review's those of
    the area it went back to."""
    if nodo == "re_revision":
        return (f"revisor_{area_devuelta}",)
    if nodo == "revision_tecnica":
        return (f"revisor_{area}",)
    return _QUIEN_TOMA.get(nodo, ())


def esperado_viewflow(patron: Patron, tareas: dict) -> dict:
    """`tareas`: node name → (status, owner's role or None, roles that may take it)."""
    if patron.clave in _VIEWFLOW_FIJAS:
        return _VIEWFLOW_FIJAS[patron.clave]
    *_, nodo, accion = patron.clave.split(":")
    if nodo not in tareas:
        return _viewflow(404)
    estado, dueno, candidatos = tareas[nodo]
    if accion in ACCIONES_DE_GESTION:
        return _viewflow(403)
    if accion == "index":
        return _viewflow(matriz.REDIRIGE)
    if accion == "detail":
        return _viewflow(200)
    # execute, assign and unassign lead to the request's page, where a step is taken and
    # acted on (tareas.paso_tomar); viewflow lets only who could do it get that far.
    quienes = {
        "execute": [dueno] if estado == "ASSIGNED" and dueno else [],
        # viewflow lets a task's owner reach «unassign» whatever the task's state.
        "unassign": [dueno] if dueno else [],
        "assign": list(candidatos) if estado == "NEW" else [],
    }[accion]
    return _viewflow(403, **dict.fromkeys(quienes, matriz.REDIRIGE))


def esperado(patron: Patron, *, peticion_admin, tareas, valores=None) -> dict | None:
    """The expected answers for a URLconf pattern; {} if the API schema covers it; None if no
    rule knows it (a new kind of route: write its row in matriz.RUTAS)."""
    if patron.clave in matriz.RUTAS:
        return matriz.RUTAS[patron.clave].get
    if patron.clave in matriz.RUTAS_DEL_ESQUEMA:
        return {}
    if patron.ruta.startswith("admin/"):
        return esperado_admin(patron, peticion_admin, valores or {})
    if patron.ruta.startswith("flujos/") or patron.clave == "index":
        return esperado_viewflow(patron, tareas)
    return None


# --- The file -------------------------------------------------------------------------------


def escribir(filas: list[Fila]) -> str:
    ancho = max(len(f.clave) for f in filas)
    columnas = [ABREVIATURAS[r] for r in matriz.ROLES]
    lineas = [
        "# Tabla de acceso: lo que cada rol recibe al pedir (GET) cada URL del URLconf.",
        "# Generada por tests/seguridad/tabla.py; se revisa en cada diff. "
        "→login/→admin: al inicio de sesión;",
        "# →: otra redirección; API: ver matriz.API (una fila por operación del esquema).",
        f"{'ruta':{ancho}}  " + " ".join(f"{c:>7}" for c in columnas) + "  patrón",
    ]
    for f in filas:
        if not f.get:
            celdas = f"{API:>7}" + " " * (8 * (len(columnas) - 1))
        else:
            celdas = " ".join(f"{escribir_respuesta(f.get[r]):>7}" for r in matriz.ROLES)
        lineas.append(f"{f.clave:{ancho}}  {celdas}  {f.ruta}".rstrip())
    return "\n".join(lineas) + "\n"


def leer(texto: str | None = None) -> dict[tuple[str, str], Fila]:
    """The file's rows by (name, route): a name may have several routes (format suffixes)."""
    texto = ARCHIVO.read_text(encoding="utf-8") if texto is None else texto
    filas = {}
    for linea in texto.splitlines()[4:]:
        clave, *resto = linea.split()
        if resto[0] == API:
            fila = Fila(clave, " ".join(resto[1:]), {})
        else:
            respuestas, ruta = resto[: len(matriz.ROLES)], resto[len(matriz.ROLES) :]
            get = {r: leer_respuesta(t) for r, t in zip(matriz.ROLES, respuestas, strict=True)}
            fila = Fila(clave, " ".join(ruta), get)
        filas[(fila.clave, fila.ruta)] = fila
    return filas
