"""The access matrix, generated from the URL configuration and the API schema: every page and
endpoint is asked as each role (anonymous, the requirentes of two agencies, mesa, each of the
five area reviewers, estratégico, firmante, auditor, administrador) and the answers are
compared with the table declared in tests/seguridad/matriz.py. Every mismatch is reported at
once, as a table. Routes missing from the table fail the test by name."""

import difflib
import logging
import os
import re

import pytest

from dictamenes.models import (
    Anexo,
    Dictamen,
    EventoAuditoria,
    Partida,
    PeticionInformacion,
    Solicitud,
    Sustitucion,
)
from tests.seguridad import matriz, tabla
from tests.seguridad.conftest import CIFRAS, SUPERUSUARIO, USUARIOS
from tests.seguridad.recorrido import (
    Patron,
    operaciones_del_esquema,
    patrones,
    url_de,
    valores_de,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bitacora_de_errores():
    """Thousands of expected 403/404 would otherwise each log a traceback (and take time)."""
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


def respuesta(r) -> object:
    """The answer in the table's terms."""
    if r.status_code in (301, 302, 303):
        destino = r["Location"]
        if destino.startswith("/cuentas/login/"):
            return matriz.LOGIN
        if destino.startswith("/admin/login/"):
            return matriz.LOGIN_ADMIN
        return matriz.REDIRIGE
    return r.status_code


def _peticion_del_administrador():
    """A request by the demo administrator, for asking the admin what it grants."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    peticion = RequestFactory().get("/admin/")
    peticion.user = get_user_model().objects.get(username="admin")
    return peticion


def _tareas(mundo) -> dict:
    """What the rules need to know of the task behind each node's URLs."""
    from viewflow.workflow.models import Task

    from dictamenes.models import Area
    from dictamenes.tramite.selectors.areas import area_de_tarea

    rol_de = {username: rol for rol, username in USUARIOS.items() if username}
    hechos = {}
    for nodo, (_, pk) in mundo.tareas_por_nodo.items():
        t = Task.objects.select_related("owner", "process").get(pk=pk)
        devuelta = getattr(t.process.coerced.area_devuelta, "clave", None)
        area = area_de_tarea(tarea=t)
        hechos[nodo] = (
            t.status,
            rol_de.get(t.owner.username) if t.owner_id else None,
            tabla.candidatos(
                nodo,
                area_devuelta=devuelta,
                area=Area.objects.get(pk=area).clave if area else None,
            ),
        )
    return hechos


def filas_por_reglas(mundo, lista_patrones) -> tuple[list, list]:
    """The table's rows as the rules write them, and the patterns no rule knows."""
    peticion, tareas = _peticion_del_administrador(), _tareas(mundo)
    filas, sin_regla = [], []
    for p in lista_patrones:
        esperado = tabla.esperado(
            p, peticion_admin=peticion, tareas=tareas, valores=valores_de(p, mundo)
        )
        if esperado is None:
            sin_regla.append(f"{p.clave} ({p.ruta})")
        else:
            filas.append(tabla.Fila(p.clave, p.ruta, esperado))
    return filas, sin_regla


def sin_declarar(lista_patrones, operaciones, escritas) -> list[str]:
    """Routes missing from tabla_acceso.txt and API operations missing from matriz.API."""
    faltan = [f"{p.clave} ({p.ruta})" for p in lista_patrones if (p.clave, p.ruta) not in escritas]
    faltan += [f"{m} {r}" for m, r in operaciones if (m, r) not in matriz.API]
    return faltan


def tabla_de_fallas(fallas) -> str:
    lineas = [f"{'ruta':45} {'rol':25} {'esperado':>22} {'obtenido':>10}"]
    lineas += [f"{c[:45]:45} {rol:25} {str(e):>22} {str(o):>10}" for c, rol, e, o in fallas]
    return "\n".join(lineas)


def test_toda_ruta_y_operacion_esta_en_la_tabla():
    escritas = tabla.leer()
    lista = list(patrones())
    faltan = sin_declarar(lista, operaciones_del_esquema(), escritas)
    assert not faltan, "Rutas sin fila en tests/seguridad/tabla_acceso.txt:\n" + "\n".join(faltan)
    vigentes = {(p.clave, p.ruta) for p in lista}
    sobran = [f"{c} ({r})" for c, r in escritas if (c, r) not in vigentes]
    assert not sobran, "Filas de rutas que ya no existen:\n" + "\n".join(sobran)


def test_una_ruta_nueva_sin_declarar_hace_fallar_la_matriz():
    """The guard works: a pattern or API operation nobody declared is named in the failure,
    and no rule makes up an answer for a new route of our own."""
    nueva = Patron(clave="solicitudes:exportar_todo", ruta="solicitudes/exportar-todo/")
    escritas = tabla.leer()
    faltan = sin_declarar([*patrones(), nueva], [("DELETE", "/api/v1/solicitudes/{id}/")], escritas)
    assert faltan == [
        "solicitudes:exportar_todo (solicitudes/exportar-todo/)",
        "DELETE /api/v1/solicitudes/{id}/",
    ]
    assert tabla.esperado(nueva, peticion_admin=None, tareas={}) is None


def test_la_tabla_escrita_es_la_que_dan_las_reglas(mundo):
    """tabla_acceso.txt is what the rules write for today's URLconf: a new URL, or a changed
    permission, shows up as a diff a reviewer reads (ESCRIBIR_TABLA_ACCESO=1 rewrites it)."""
    filas, sin_regla = filas_por_reglas(mundo, patrones())
    assert not sin_regla, "Rutas sin regla ni fila en matriz.RUTAS:\n" + "\n".join(sin_regla)
    texto = tabla.escribir(filas)
    if os.environ.get("ESCRIBIR_TABLA_ACCESO"):
        tabla.ARCHIVO.write_text(texto, encoding="utf-8")
    escrito = tabla.ARCHIVO.read_text(encoding="utf-8")
    diferencias = "\n".join(
        difflib.unified_diff(escrito.splitlines(), texto.splitlines(), "archivo", "reglas", n=0)
    )
    assert texto == escrito, "tabla_acceso.txt no es lo que dan las reglas:\n" + diferencias


def test_matriz_de_acceso_por_rol(mundo):
    """Every URL of the URLconf, asked as every role, answers exactly what the table says."""
    escritas = tabla.leer()
    fallas = []
    for patron in patrones():
        esperado = escritas[(patron.clave, patron.ruta)].get
        if not esperado:  # asked through the schema
            continue
        ruta = matriz.RUTAS.get(patron.clave)
        url = url_de(patron, mundo, ruta.params if ruta else None)
        for rol in matriz.ROLES:
            obtenida = respuesta(mundo.clientes[rol].get(url))
            CIFRAS["rutas_x_roles"] += 1
            if obtenida != esperado[rol]:
                fallas.append((patron.clave, rol, esperado[rol], obtenida))
    assert not fallas, "La matriz de acceso no coincide:\n" + tabla_de_fallas(fallas)


def _url_api(ruta: str, mundo) -> str:
    if "/dictamenes/" in ruta:
        ident = mundo.ids["dictamen"]
    elif "/solicitudes/" in ruta:
        ident = mundo.ids["emitida"]
    elif "/categorias/" in ruta:
        ident = mundo.ids["categoria"]
    elif "/perfiles/" in ruta:
        ident = mundo.ids["perfil"]
    else:
        ident = mundo.ids["requisito"]
    return ruta.replace("{id}", str(ident)).replace("{version}", mundo.ids["version"])


def _estado(mundo) -> tuple:
    """What a refused request must leave untouched: the audit trail and the rows behind it."""
    from viewflow.workflow.models import Task

    return (
        EventoAuditoria.objects.count(),
        *(m.objects.count() for m in (Solicitud, Partida, Anexo, Dictamen, Sustitucion)),
        tuple(Solicitud.objects.order_by("pk").values_list("estado", "titulo")),
        tuple(PeticionInformacion.objects.order_by("pk").values_list("respuesta", flat=True)),
        tuple(Task.objects.order_by("pk").values_list("status", "owner_id")),
    )


# A valid draft: whoever is refused is refused for who they are, not for a bad body.
API_CUERPOS = {
    "/api/v1/solicitudes/": {
        "tipo_operacion": "adquisicion",
        "titulo": "Borrador que nadie debió crear",
        "justificacion": "Prueba de la matriz de acceso.",
        "alineacion": "Ninguna.",
        "monto_estimado": "1000.00",
        "ejercicio": 2026,
    }
}


def test_api_por_rol_segun_el_esquema(mundo):
    fallas = []
    antes = _estado(mundo)
    for metodo, ruta in operaciones_del_esquema():
        url = _url_api(ruta, mundo)
        esperado = matriz.API[(metodo, ruta)]
        for rol in matriz.ROLES:
            cliente = mundo.clientes[rol]
            if esperado[rol] == "permitido":
                continue
            if metodo == "GET":
                r = cliente.get(url)
            else:
                r = cliente.post(url, API_CUERPOS.get(ruta, {}), content_type="application/json")
            CIFRAS["operaciones_api_x_roles"] += 1
            if r.status_code != esperado[rol]:
                fallas.append((f"{metodo} {ruta}", rol, esperado[rol], r.status_code))
    assert not fallas, "La API no coincide con la matriz:\n" + tabla_de_fallas(fallas)
    assert _estado(mundo) == antes, "una operación rechazada de la API cambió datos"


def _datos_post(ruta, mundo) -> dict:
    if callable(ruta.datos):
        return ruta.datos(mundo.ids)
    return {k: mundo.ids.get(v, v) if isinstance(v, str) else v for k, v in ruta.datos.items()}


def test_quien_no_debe_no_cambia_nada_por_post(mundo):
    """Every state-changing page, POSTed by each role that may not: refused, and the audit
    trail, the rows and the tasks are exactly as before."""
    fallas = []
    por_nombre = {p.clave: p for p in patrones()}
    # Each POST is compared with the state just before it: the state read after one POST is
    # the one before the next (nothing else writes in between), so it is read once per POST.
    antes = _estado(mundo)
    for clave, ruta in matriz.RUTAS.items():
        if ruta.post is None:
            continue
        url = url_de(por_nombre[clave], mundo, ruta.params)
        for rol, esperado in ruta.post.items():
            if esperado == "permitido":
                continue
            obtenida = respuesta(mundo.clientes[rol].post(url, _datos_post(ruta, mundo)))
            CIFRAS["post_x_roles"] += 1
            despues = _estado(mundo)
            if obtenida != esperado:
                fallas.append((clave, rol, esperado, obtenida))
            elif despues != antes:
                fallas.append((clave, rol, "sin cambios", "cambió"))
            antes = despues
    assert not fallas, "POST de quien no debe:\n" + tabla_de_fallas(fallas)


# viewflow's own pages that would change a process or a task if a POST went through.
_ACCIONES_DE_VIEWFLOW = (
    *tabla.ACCIONES_DE_GESTION,
    "assign",
    "unassign",
    "execute",
    "process_cancel",
    "tasks_assign",
    "tasks_unassign",
)


def post_a_viewflow(patron, rol, escritas) -> object:
    """What a POST to one of viewflow's actions answers: 403 to everyone, anonymous visitors and
    superusers included. Only a task's own page («execute») answers a POST as it answers a
    visit: who holds the task is sent to the request's page, where the step is acted on."""
    if patron.clave.endswith(":execute") and rol in matriz.ROLES:
        return escritas[(patron.clave, patron.ruta)].get[rol]
    return 403


def test_nadie_cambia_el_flujo_por_las_paginas_de_viewflow(mundo):
    """Cancel, undo, revive, assign, unassign and execute, of processes and tasks, one by one
    and in bulk, POSTed by every role and by a superuser: refused, and the audit trail, the
    rows and every task are exactly as before. (A superuser once cancelled a process and a
    signing task this way, unaudited, and left both requests stuck.)"""
    from viewflow.workflow.models import Process, Task

    escritas = tabla.leer()
    fallas = []
    tareas = [pk for _, pk in mundo.tareas_por_nodo.values()]
    redirigidas = 0

    def estado():
        return _estado(mundo), tuple(Process.objects.values_list("status", flat=True))

    # As in test_quien_no_debe_no_cambia_nada_por_post: the state after one POST is the one
    # before the next.
    antes = estado()
    for patron in patrones():
        if not patron.ruta.startswith("flujos/"):
            continue
        if patron.clave.rsplit(":", 1)[-1] not in _ACCIONES_DE_VIEWFLOW:
            continue
        url = url_de(patron, mundo)
        for rol in (*matriz.ROLES, SUPERUSUARIO):
            # What viewflow's own forms send: the process cancel's button, the bulk views'
            # task ids and confirmation.
            datos = {"_cancel_process": "1", "pk": tareas, "select_all": "1", "_confirm": "1"}
            r = mundo.clientes[rol].post(url, datos)
            CIFRAS["post_x_roles"] += 1
            obtenida, esperada = respuesta(r), post_a_viewflow(patron, rol, escritas)
            if obtenida != esperada:
                fallas.append((patron.clave, rol, esperada, obtenida))
            redirigidas += esperada == matriz.REDIRIGE
            despues = estado()
            if despues != antes:
                fallas.append((patron.clave, rol, "sin cambios", "cambió"))
            antes = despues
    assert not fallas, "viewflow cambió el flujo por fuera del trámite:\n" + tabla_de_fallas(fallas)
    assert Task.objects.filter(pk__in=tareas).count() == len(tareas)
    # The redes reviewer's assigned task, the one task of the world held by its owner.
    assert redirigidas == 1


# --- Enumeration -----------------------------------------------------------------------------

NO_EXISTE = 987654


def _sin_url(texto: str, url: str) -> str:
    """The body with the probed URL and the per-response CSRF token masked out."""
    texto = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", texto)
    return texto.replace(url, "URL")


def _sondear(cliente, metodo, plantilla, existente, datos=None, **fijos):
    """The answer for an existing id and for one that never existed, side by side."""
    respuestas = []
    for ident in (existente, NO_EXISTE):
        url = plantilla.format(id=ident, **fijos)
        r = getattr(cliente, metodo)(url, datos or {}) if metodo == "post" else cliente.get(url)
        cuerpo = b"".join(r.streaming_content) if r.streaming else r.content
        respuestas.append((r.status_code, _sin_url(cuerpo.decode(errors="replace"), url)))
    CIFRAS["sondeos"] += 1
    return respuestas


def test_ids_ajenos_responden_igual_que_los_inexistentes(mundo):
    ids = mundo.ids
    b = mundo.clientes["requirente_b"]
    rc = mundo.clientes["revisor_computo"]
    rev, emi = ids["revision"], ids["emitida"]
    sondeos = [
        # requirente of agency B against agency A's sequential ids
        (b, "get", "/solicitudes/{id}/", ids["emitida"], None),
        (b, "get", "/solicitudes/{id}/editar/", ids["borrador"], None),
        (b, "get", "/solicitudes/{id}/expediente.zip", emi, None),
        (b, "get", "/solicitudes/{id}/historial.pdf", emi, None),
        (
            b,
            "get",
            f"/solicitudes/{ids['borrador']}/partidas/{{id}}/",
            ids["borrador:partida"],
            None,
        ),
        (b, "get", f"/solicitudes/{emi}/anexos/{{id}}/", ids["emitida:anexo"], None),
        (b, "get", f"/solicitudes/{emi}/dictamenes/{{id}}/pdf/", ids["dictamen"], None),
        (
            b,
            "post",
            f"/solicitudes/{rev}/peticiones/{{id}}/responder/",
            ids["peticion"],
            {"texto": "x"},
        ),
        (
            b,
            "post",
            f"/solicitudes/{rev}/tareas/{{id}}/reasignar/",
            ids["tarea_redes"],
            {"persona": ids["persona_redes"]},
        ),
        (b, "get", "/api/v1/solicitudes/{id}/", emi, None),
        (b, "get", "/api/v1/dictamenes/{id}/", ids["dictamen"], None),
        (b, "get", "/api/v1/dictamenes/{id}/pdf/", ids["dictamen"], None),
        # a reviewer of another area against the redes task and question
        (
            rc,
            "post",
            f"/solicitudes/{rev}/tareas/{{id}}/reasignar/",
            ids["tarea_redes"],
            {"persona": ids["persona_redes"]},
        ),
        (
            rc,
            "post",
            f"/solicitudes/{rev}/peticiones/{{id}}/responder/",
            ids["peticion"],
            {"texto": "x"},
        ),
        (
            rc,
            "get",
            f"/solicitudes/{ids['borrador']}/partidas/{{id}}/",
            ids["borrador:partida"],
            None,
        ),
    ]
    antes = _estado(mundo)
    fallas = []
    for cliente, metodo, plantilla, existente, datos in sondeos:
        (st_e, cuerpo_e), (st_n, cuerpo_n) = _sondear(cliente, metodo, plantilla, existente, datos)
        nombre = f"{metodo.upper()} {plantilla}"
        if st_e != st_n or st_e == 200:
            fallas.append(f"{nombre}: existente {st_e}, inexistente {st_n}")
        elif mundo.titulo_a in cuerpo_e or cuerpo_e != cuerpo_n:
            fallas.append(f"{nombre}: el cuerpo delata el registro existente")
    assert not fallas, "\n".join(fallas)
    assert _estado(mundo) == antes


def test_anexo_de_otra_solicitud_por_la_url_de_la_propia_da_404(mundo):
    a = mundo.clientes["requirente_a"]
    ids = mundo.ids
    propia = f"/solicitudes/{ids['revision']}/anexos/{ids['revision:anexo']}/"
    cruzada = f"/solicitudes/{ids['revision']}/anexos/{ids['emitida:anexo']}/"
    assert a.get(propia).status_code == 200
    assert a.get(cruzada).status_code == 404
    CIFRAS["sondeos"] += 1


def test_los_archivos_no_se_alcanzan_por_su_ruta_de_almacenamiento(mundo):
    """Stored files are served only by the views that check permission."""
    for nombre in (mundo.ids["pdf"], mundo.ids["anexo_archivo"]):
        for ruta in (f"/media/{nombre}", f"/{nombre}", f"/static/../media/{nombre}"):
            for rol in matriz.ROLES:
                assert mundo.clientes[rol].get(ruta).status_code == 404, (ruta, rol)
                CIFRAS["sondeos"] += 1


def test_folios_desconocidos_y_lo_que_muestra_la_verificacion(mundo):
    anonimo = mundo.clientes["anonimo"]
    desconocidos = [
        "SGD/DGPDGT/DT/2026/9999",
        "SGD/DGPDGT/DT/1999/0001",
        "no-es-un-folio",
        mundo.ids["folio"] + "0",
    ]
    respuestas = set()
    for folio in desconocidos:
        r = anonimo.get(f"/verificar/{folio}/")
        # The page of an unknown folio (issue 47) carries the upload form: its CSRF token is
        # masked anew on every answer, and says nothing of the folio.
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", r.content.decode())
        respuestas.add((r.status_code, html.replace(folio, "F")))
        CIFRAS["sondeos"] += 1
    assert len(respuestas) == 1 and next(iter(respuestas))[0] == 404
    # The verification page shows what the public register shows, and nothing personal.
    pagina = anonimo.get(f"/verificar/{mundo.ids['folio']}/").content.decode()
    registro = anonimo.get("/registro/").content.decode()
    assert mundo.ids["folio"] in registro and mundo.ids["folio"] in pagina
    for privado in ("requirente.sh", "Equipos con más de diez años", "justificacion", "@"):
        assert privado not in pagina, privado
    # Anonymous visitors get no link to the PDF: downloads go through the request's page.
    assert f"/dictamenes/{mundo.ids['dictamen']}/pdf/" not in pagina


def test_el_permitido_no_es_rechazado_en_su_pagina(mundo):
    """Each POST's permitted role reaches the page where its form lives."""
    ids = mundo.ids
    paginas = {
        "requirente_a": f"/solicitudes/{ids['borrador']}/",
        "mesa": f"/solicitudes/{ids['presentada']}/",
        "revisor_redes": f"/solicitudes/{ids['revision']}/",
        "estrategico": f"/solicitudes/{ids['estrategica']}/",
        "firmante": f"/solicitudes/{ids['firma']}/",
    }
    for rol, url in paginas.items():
        r = mundo.clientes[rol].get(url)
        assert r.status_code == 200, rol
        assert b'method="post"' in r.content.lower(), f"{rol} no ve su formulario en {url}"
