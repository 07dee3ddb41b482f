"""«Ayuda» where the question arises (issue 63): every page of the access table, for every role
that gets it, has its row in config.ayuda, and every section it points to exists in the site
that MkDocs builds from docs/ (built once for this module, with the project's mkdocs.yml);
a few pages, rendered, show the link in their header; /manual/ serves the built site safely,
with its own Content Security Policy."""

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from config import ayuda
from dictamenes.models import Area, Solicitud
from dictamenes.roles import Rol
from dictamenes.seguimiento.services import contratos
from dictamenes.tramite.services import cierre, etapas
from tests.dictamenes import flujo_utils as fu
from tests.seguridad.tabla import ARCHIVO as TABLA

RAIZ = Path(__file__).resolve().parents[2]

# The access table's columns (tests/seguridad/tabla.py ABREVIATURAS), as the help reads them.
COLUMNAS = {
    "anon": ayuda.CIUDADANO,
    "reqA": Rol.REQUIRENTE,
    "reqB": Rol.REQUIRENTE,
    "mesa": Rol.MESA_CONTROL,
    "rInf": Rol.REVISOR_TECNICO,
    "rRed": Rol.REVISOR_TECNICO,
    "rSeg": Rol.REVISOR_TECNICO,
    "rSof": Rol.REVISOR_TECNICO,
    "rCom": Rol.REVISOR_TECNICO,
    "estr": Rol.REVISOR_ESTRATEGICO,
    "firm": Rol.FIRMANTE,
    "audi": Rol.AUDITOR,
    "admi": Rol.ADMINISTRADOR,
}


def paginas_de_la_tabla() -> dict[str, set]:
    """Url name → the roles that get it (200), for every row of the access table."""
    lineas = [linea for linea in TABLA.read_text(encoding="utf-8").splitlines() if linea.strip()]
    encabezado = next(linea.split() for linea in lineas if linea.startswith("ruta "))
    columnas = encabezado[1:-1]
    paginas: dict[str, set] = {}
    for linea in lineas:
        if linea.startswith(("#", "ruta ")):
            continue
        partes = linea.split()
        nombre, respuestas = partes[0], partes[1 : 1 + len(columnas)]
        roles = {COLUMNAS[c] for c, r in zip(columnas, respuestas, strict=False) if r == "200"}
        paginas.setdefault(nombre, set()).update(roles)
    return paginas


@pytest.fixture(scope="module")
def sitio(tmp_path_factory):
    destino = tmp_path_factory.mktemp("manual")
    construccion = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(RAIZ / "mkdocs.yml")]
        + ["-d", str(destino)],
        cwd=RAIZ,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert construccion.returncode == 0, construccion.stderr
    return destino


def _anclas(archivo: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', archivo.read_text(encoding="utf-8")))


def test_cada_pagina_de_la_tabla_tiene_su_ayuda_para_cada_rol_que_la_ve():
    """The admin's, viewflow's and the API's pages too (their rows by prefix)."""
    tabla = paginas_de_la_tabla()
    sin_fila = sorted(
        f"{nombre} · {rol}"
        for nombre, roles in tabla.items()
        if nombre not in ayuda.SIN_PAGINA
        for rol in roles
        if ayuda.destino(nombre, [rol]) is None
    )
    assert sin_fila == [], "páginas de la tabla de acceso sin su sección de ayuda"
    viejas = (set(ayuda.AYUDA) | ayuda.SIN_PAGINA) - set(tabla)
    assert sorted(viejas) == [], "nombres que ya no están en la tabla de acceso"
    sin_paginas = [p for p in ayuda.AYUDA_POR_PREFIJO if not any(n.startswith(p) for n in tabla)]
    assert sin_paginas == [], "prefijos que ya no nombran ninguna página de la tabla"


def test_cada_seccion_de_ayuda_existe_en_el_sitio_construido(sitio):
    filas = [
        *ayuda.AYUDA.values(),
        *ayuda.AYUDA_POR_PREFIJO.values(),
        *ayuda.AYUDA_SOLICITUD.values(),
    ]
    destinos = {d for fila in filas for d in fila.values()}
    rotos = []
    for objetivo in sorted(destinos):
        pagina, _, ancla = objetivo.partition("#")
        # The URL the link carries, below /manual/, is the built file's directory.
        ruta = ayuda.url_del_manual(objetivo).removeprefix("/manual/").partition("#")[0]
        archivo = sitio / ruta / "index.html"
        if not archivo.is_file():
            rotos.append(f"{objetivo}: no hay {ruta}index.html")
        elif ancla and ancla not in _anclas(archivo):
            rotos.append(f"{objetivo}: la página no tiene #{ancla}")
    assert rotos == []


ESPERADOS = [
    # (who, url, the link's target)
    (None, "/verificar/", "/manual/manual/ciudadano/#verificar-un-dictamen"),
    ("requirente.sh", "/solicitudes/nueva/", "/manual/manual/requirente/#presentar-una-solicitud"),
    ("auditor", "/solicitudes/", "/manual/manual/auditor/#buscar-solicitudes"),
    ("admin", "/cuentas/vias/", "/manual/manual/administrador/#vias-de-revision"),
    ("mesa", "/", "/manual/manual/mesa/#su-pagina-de-inicio"),
    ("mesa", "/registro/", "/manual/manual/ciudadano/#consultar-los-dictamenes-emitidos"),
    # viewflow's inbox, drawn by flujos/tareas.html on base.html.
    ("firmante", "/flujos/workflow/inbox/", "/manual/manual/firmante/#la-bandeja-del-flujo"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("quien", "url", "enlace"), ESPERADOS)
def test_el_encabezado_lleva_ayuda_a_su_seccion(demo, quien, url, enlace):
    cliente = Client()
    if quien:
        cliente.force_login(fu.usuario(quien))
    respuesta = cliente.get(url)
    assert respuesta.status_code == 200
    encabezado = respuesta.content.decode().partition("<main")[0]
    assert f'<a class="encabezado__ayuda" href="{enlace}" rel="help">Ayuda</a>' in encabezado


# What a browser asks for.
NAVEGADOR = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ADMIN = "/manual/manual/administrador/#el-admin-de-django"
API = "/manual/integracion/api/"
OTRAS_APLICACIONES = [
    # (who, url, the link's target): pages that Django's admin, viewflow, DRF and Swagger draw.
    ("admin", "/admin/", ADMIN),
    ("admin", "/admin/auth/user/", ADMIN),
    (None, "/admin/login/", ADMIN),
    (
        "revisor.computo",
        "/flujos/workflow/flows/dictamen/flows/",
        "/manual/manual/revisor-tecnico/#la-bandeja-del-flujo",
    ),
    (
        "auditor",
        "/flujos/workflow/flows/dictamen/tasks/",
        "/manual/manual/auditor/#la-bandeja-del-flujo",
    ),
    (None, "/api/v1/estandares/publicaciones/", API),
    ("requirente.sh", "/api/v1/", API),
    (None, "/api/v1/docs/", API),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("quien", "url", "enlace"), OTRAS_APLICACIONES)
def test_las_paginas_de_otras_aplicaciones_llevan_ayuda(demo, quien, url, enlace):
    cliente = Client()
    if quien:
        cliente.force_login(fu.usuario(quien))
    respuesta = cliente.get(url, HTTP_ACCEPT=NAVEGADOR)
    assert (respuesta.status_code, respuesta["Content-Type"]) == (200, "text/html; charset=utf-8")
    html = respuesta.content.decode()
    # One «Ayuda», in the page's top bar: before its main content.
    contenido = min(i for i in (html.find("<main"), html.find('role="main"')) if i >= 0)
    ayudas = re.findall(r'<a [^>]*href="([^"]*)"[^>]*rel="help"[^>]*>Ayuda</a>', html)
    assert ayudas == [enlace]
    assert html.index('rel="help"') < contenido


@pytest.mark.django_db
def test_lo_que_la_ayuda_exime_de_otras_aplicaciones_no_es_una_pagina(demo):
    """SIN_PAGINA's names among the admin's, viewflow's and the API's answer a script, an
    image or a schema: none of them is HTML that could carry the link."""
    proceso = fu.presentada().proceso
    no_paginas = {
        "admin:jsi18n": ("admin", "/admin/jsi18n/"),
        "workflow:flows:dictamen:chart": ("mesa", "/flujos/workflow/flows/dictamen/chart/"),
        "workflow:flows:dictamen:process_chart": (
            "mesa",
            f"/flujos/workflow/flows/dictamen/{proceso.pk}/chart/",
        ),
        "api:esquema": (None, "/api/v1/esquema/"),
    }
    otras = tuple(ayuda.AYUDA_POR_PREFIJO)
    assert sorted(n for n in ayuda.SIN_PAGINA if n.startswith(otras)) == sorted(no_paginas)
    tipos = {}
    for nombre, (quien, url) in no_paginas.items():
        cliente = Client()
        if quien:
            cliente.force_login(fu.usuario(quien))
        respuesta = cliente.get(url, HTTP_ACCEPT=NAVEGADOR)
        tipos[nombre] = (respuesta.status_code, respuesta["Content-Type"].partition(";")[0])
    assert tipos == {
        "admin:jsi18n": (200, "text/javascript"),
        "workflow:flows:dictamen:chart": (200, "image/svg+xml"),
        "workflow:flows:dictamen:process_chart": (200, "image/svg+xml"),
        "api:esquema": (200, "application/vnd.oai.openapi"),
    }


def _directivas(politica: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: sources}: django-csp does not promise
    the directives' order."""
    partes = (directiva.strip().partition(" ") for directiva in politica.split(";"))
    return {nombre: fuentes for nombre, _, fuentes in partes if nombre}


@pytest.mark.django_db
def test_manual_sirve_el_sitio_con_su_politica(sitio, settings, client):
    settings.DICTAMENES_MANUAL_DIR = sitio
    pagina = client.get("/manual/manual/requirente/")
    assert pagina.status_code == 200
    assert pagina["Content-Type"] == "text/html"
    assert b'id="responder-una-prevencion"' in b"".join(pagina.streaming_content)
    politica = _directivas(pagina["Content-Security-Policy"])
    assert politica["script-src"] == "'self' 'unsafe-inline'"
    assert politica["style-src"] == "'self' 'unsafe-inline'"
    # Everywhere else, the site's own policy: no inline script.
    assert _directivas(client.get("/verificar/")["Content-Security-Policy"])["script-src"] == (
        "'self'"
    )

    assert client.get("/manual/manual/requirente").url == "/manual/manual/requirente/"
    estilos = next((sitio / "assets" / "stylesheets").glob("*.css")).name
    assert client.get(f"/manual/assets/stylesheets/{estilos}")["Content-Type"] == "text/css"
    for fuera in ("/manual/..%2f..%2fmanage.py", "/manual/%2e%2e/%2e%2e/manage.py"):
        assert client.get(fuera).status_code == 404, fuera


@pytest.mark.django_db
def test_sin_construir_el_manual_lo_dice(tmp_path, settings, client):
    settings.DICTAMENES_MANUAL_DIR = tmp_path
    respuesta = client.get("/manual/")
    assert respuesta.status_code == 404


# The request's page (issue 78, item 2): «Ayuda» opens what the reader has to do there, by the
# request's situation. Each situation is built by the procedure's own services; the sections
# are written out here, apart from config.ayuda's table, as the manuals name them.
def _prevenida():
    s = fu.presentada()
    etapas.admision_resolver(
        solicitud=s, usuario=fu.usuario("mesa"), admitir=False, faltantes="Falta el oficio."
    )
    return s


def _con_peticion():
    s = fu.admitida()
    etapas.informacion_pedir(
        solicitud=s,
        usuario=fu.usuario("revisor.computo"),
        area=Area.objects.get(clave="computo"),
        pregunta="¿Cuántos equipos reemplaza?",
    )
    return s


def _firmada(**kwargs):
    s = fu.en_firma(**kwargs)
    fu.firmar(Solicitud.objects.get(pk=s.pk))
    return s


def _con_contrato():
    s = _firmada()
    vigente = Solicitud.objects.get(pk=s.pk).dictamen_vigente
    contratos.contrato_registrar(
        dictamen=vigente,
        usuario=fu.usuario("requirente.sh"),
        numero="SH-AYUDA-1",
        proveedor="Proveedora del Noroeste, S.A. de C.V.",
        fecha=vigente.emitido_en.date(),
        monto=Decimal("20000.00"),
    )
    return s


def _desistida():
    s = fu.presentada()
    cierre.solicitud_desistir(
        solicitud=s, usuario=fu.usuario("requirente.sh"), motivo="Ya no se necesita."
    )
    return s


REQ_, MESA_, TEC_, EST_, FIR_, AUD_, ADM_ = (
    "requirente.sh",
    "mesa",
    "revisor.computo",
    "estrategico",
    "firmante",
    "auditor",
    "admin",
)
# The sections every role but the requester reads while the request is in procedure.
_EN_TRAMITE = {
    MESA_: "mesa/#despues-de-admitir",
    TEC_: "revisor-tecnico/#revisar-las-partidas-de-su-area",
    EST_: "revisor-estrategico/#decidir-cada-partida",
    FIR_: "firmante/#firmar-con-la-efirma",
    AUD_: "auditor/#consultar-el-historial",
    ADM_: "administrador/#consultar-una-solicitud",
}
_DICTAMINADA = {
    **_EN_TRAMITE,
    EST_: "revisor-estrategico/#proponer-una-rectificacion",
    FIR_: "firmante/#rectificar-un-dictamen",
}
POR_SITUACION = {
    # situation: (how it is built, {who: the section their «Ayuda» opens})
    # The Subsecretaría may open a draft; nothing is theirs yet: their usual sections.
    "borrador": (
        fu.borrador,
        {
            **_EN_TRAMITE,
            REQ_: "requirente/#presentar-una-solicitud",
            MESA_: "mesa/#admitir-o-prevenir",
        },
    ),
    "admision": (
        fu.presentada,
        {
            **_EN_TRAMITE,
            REQ_: "requirente/#mientras-la-revisan",
            MESA_: "mesa/#admitir-o-prevenir",
        },
    ),
    "prevenida": (
        _prevenida,
        {
            **_EN_TRAMITE,
            REQ_: "requirente/#responder-una-prevencion",
            MESA_: "mesa/#admitir-o-prevenir",
        },
    ),
    "peticion": (
        _con_peticion,
        {
            **_EN_TRAMITE,
            REQ_: "requirente/#responder-una-peticion-de-informacion",
            TEC_: "revisor-tecnico/#pedir-informacion",
        },
    ),
    "revision_tecnica": (fu.admitida, {**_EN_TRAMITE, REQ_: "requirente/#mientras-la-revisan"}),
    "revision_estrategica": (
        fu.revisada,
        {**_EN_TRAMITE, REQ_: "requirente/#mientras-la-revisan"},
    ),
    "firma": (fu.en_firma, {**_EN_TRAMITE, REQ_: "requirente/#mientras-la-revisan"}),
    "dictaminada": (
        lambda: _firmada(resultado="no_favorable"),
        {**_DICTAMINADA, REQ_: "requirente/#leer-y-descargar-su-dictamen"},
    ),
    "contrato": (_firmada, {**_DICTAMINADA, REQ_: "requirente/#registrar-el-contrato"}),
    "condicion": (
        lambda: _firmada(resultado="condicionado", condiciones="Entregar el plan de pruebas."),
        {
            **_DICTAMINADA,
            REQ_: "requirente/#cumplir-las-condiciones",
            TEC_: "revisor-tecnico/#verificar-las-condiciones",
        },
    ),
    # Favourable, its contract recorded: what is left is reading it.
    "dictaminada (con contrato)": (
        _con_contrato,
        {**_DICTAMINADA, REQ_: "requirente/#leer-y-descargar-su-dictamen"},
    ),
    "cerrada": (
        _desistida,
        {
            **_EN_TRAMITE,
            REQ_: "requirente/#desistir-o-cierre-sin-dictamen",
            MESA_: "mesa/#despues-de-admitir",
        },
    ),
}


def test_cada_situacion_de_una_solicitud_tiene_su_caso():
    probadas = {s.partition(" ")[0] for s in POR_SITUACION}
    assert sorted(probadas) == sorted(ayuda.SITUACIONES)


@pytest.mark.django_db
@pytest.mark.parametrize("situacion", POR_SITUACION)
def test_la_ayuda_de_una_solicitud_sigue_lo_que_toca_hacer(
    demo, situacion, django_assert_max_num_queries
):
    construir, esperados = POR_SITUACION[situacion]
    solicitud = construir()
    assert ayuda.situacion_de(solicitud.pk) == situacion.partition(" ")[0]
    # The situation costs the page one query, read only when the header prints the link.
    with django_assert_max_num_queries(1):
        ayuda.situacion_de(solicitud.pk)
    enlaces = {}
    for quien in (REQ_, MESA_, TEC_, EST_, FIR_, AUD_, ADM_):
        cliente = Client()
        cliente.force_login(fu.usuario(quien))
        respuesta = cliente.get(fu.detalle(solicitud))
        if respuesta.status_code != 200:
            enlaces[quien] = respuesta.status_code
            continue
        encabezado = respuesta.content.decode().partition("<main")[0]
        enlace = re.search(r'<a class="encabezado__ayuda" href="([^"]+)" rel="help">', encabezado)
        enlaces[quien] = enlace[1].removeprefix("/manual/manual/")
    vistos = {quien: enlace for quien, enlace in enlaces.items() if isinstance(enlace, str)}
    assert vistos == esperados
