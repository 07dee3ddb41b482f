"""The request's page is one door (issue 79): every POST it sends goes to a view of
dictamenes.expediente; what other capabilities add to it is declared in expediente.registro,
and nothing below the page reaches up to it or hands it anything at start-up."""

import ast
from pathlib import Path

import pytest
from django.urls import resolve, reverse
from lxml import html as lxml_html

from dictamenes.expediente import pagina, registro
from dictamenes.expediente.views import dictamen as vistas_dictamen
from dictamenes.models import Dictamen
from tests.dictamenes.flujo_utils import borrador, detalle, en_firma, firmar

RAIZ = Path(__file__).resolve().parents[3]
DICTAMENES = RAIZ / "dictamenes"
# The URL conf that gathers the procedure's addresses includes the page's own.
PUEDEN_IMPORTARLA = {"dictamenes/urls.py"}


def _importados(archivo: Path) -> set[str]:
    arbol = ast.parse(archivo.read_text(encoding="utf-8"))
    nombres = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            nombres.update(a.name for a in nodo.names)
        elif isinstance(nodo, ast.ImportFrom) and nodo.module:
            nombres.add(nodo.module)
            nombres.update(f"{nodo.module}.{a.name}" for a in nodo.names)
    return nombres


def test_nada_debajo_de_la_pagina_la_importa():
    """A capability below the page that imported it (its context, `ejecutar`, `rechazo`)
    would be the hub again; import-linter's layers catch it too, this names the file."""
    quienes = sorted(
        archivo.relative_to(RAIZ).as_posix()
        for archivo in DICTAMENES.rglob("*.py")
        if "expediente" not in archivo.relative_to(DICTAMENES).parts
        and any(n.startswith("dictamenes.expediente") for n in _importados(archivo))
    )
    assert quienes == sorted(PUEDEN_IMPORTARLA)


def test_nadie_entrega_partes_de_la_pagina_al_arrancar():
    """The page's parts are the registry's, not handed in by apps.py (the old `ampliar`)."""
    assert not hasattr(pagina, "ampliar")
    assert not [
        n for n in _importados(DICTAMENES / "apps.py") if ".views" in n or "expediente" in n
    ]


@pytest.mark.parametrize("accion", registro.ACCIONES, ids=lambda a: a.nombre)
def test_cada_accion_registrada_tiene_su_ruta(accion):
    """Each on what it names: the dictamen, or its own object (a sign, issue 80)."""
    llave = f"{accion.clave}_pk"
    direccion = reverse(f"solicitudes:{accion.nombre}", kwargs={"pk": 7, llave: 9})
    encontrada = resolve(direccion)
    assert encontrada.func is vistas_dictamen.registrada
    assert encontrada.kwargs == {"pk": 7, llave: 9, "accion": accion}
    assert encontrada.route == f"solicitudes/{accion.ruta}"


def _formularios_post(respuesta) -> set[str]:
    """The POST forms of the request's page proper (not the header's sign-out)."""
    arbol = lxml_html.fromstring(respuesta.content)
    return {
        f.get("action")
        for f in arbol.xpath("//main//form[@method='post']")
        if f.get("action", "").startswith(reverse("solicitudes:lista"))
    }


@pytest.mark.django_db
def test_cada_post_de_la_pagina_llega_al_expediente(demo, como):
    """The forms of the page, in a draft, a request to sign and a signed one (with its
    contract, the registry's): each is received by a view of dictamenes.expediente."""
    vistos = {}
    solicitud = borrador()
    vistos["requirente.sh"] = _formularios_post(como("requirente.sh").get(detalle(solicitud)))
    firmable = en_firma()
    vistos["firmante"] = _formularios_post(como("firmante").get(detalle(firmable)))
    firmar(firmable)
    con_dictamen = como("requirente.sh").get(detalle(firmable))
    vistos["requirente con dictamen"] = _formularios_post(con_dictamen)
    vistos["estratégico con dictamen"] = _formularios_post(
        como("estrategico").get(detalle(firmable))
    )
    dictamen = Dictamen.objects.get(solicitud=firmable)
    # The registry's sections and actions are on the page: the contract, the proposal.
    assert (
        reverse("solicitudes:contrato", args=[firmable.pk, dictamen.pk])
        in (vistos["requirente con dictamen"])
    )
    assert (
        reverse("solicitudes:proponer_rectificacion", args=[firmable.pk, dictamen.pk])
        in (vistos["estratégico con dictamen"])
    )
    assert reverse("solicitudes:firma", args=[firmable.pk]) in vistos["firmante"]
    assert reverse("solicitudes:presentar", args=[solicitud.pk]) in vistos["requirente.sh"]
    fuera = {
        (quien, accion, resolve(accion).func.__module__)
        for quien, acciones in vistos.items()
        for accion in acciones
        if not resolve(accion).func.__module__.startswith("dictamenes.expediente.")
    }
    assert fuera == set()


@pytest.mark.django_db
def test_una_accion_nueva_toca_su_capacidad_y_el_registro(demo, como, settings, tmp_path):
    """The docs' example (desarrollo/codigo.md): an action after the dictamen declared by its
    capability — its offer, its entries, its fragment — and one `Accion` in the registry is on
    the page of whom it is offered to, with nothing of tramite's selector or the page changed."""
    (tmp_path / "solicitudes").mkdir()
    (tmp_path / "solicitudes" / "_entrega_prueba.html").write_text(
        "<p>{{ acciones.entrega_aviso }}</p>", encoding="utf-8"
    )
    motor = settings.TEMPLATES[0]
    settings.TEMPLATES = [motor | {"DIRS": [*motor["DIRS"], tmp_path]}, *settings.TEMPLATES[1:]]

    def ofrecer(*, usuario, solicitud, dictamen, es_requirente):
        return dictamen if es_requirente and dictamen is not None else None

    def en_la_pagina(acciones, formularios, *, decisiones):
        if "entrega" not in acciones:
            return {}
        return {"entrega_aviso": f"Avise la entrega del dictamen {acciones['entrega'].folio}."}

    nueva = registro.Accion(
        "entrega",
        "<int:pk>/dictamenes/<int:dictamen_pk>/entrega/",
        registro.ACCIONES[0].formulario,
        "entrega",
        lambda **_: "",
        en_la_pagina,
        "solicitudes/_entrega_prueba.html",
        ofrecer,
    )
    solicitud = en_firma()
    firmar(solicitud)
    folio = Dictamen.objects.get(solicitud=solicitud).folio
    aviso = f"Avise la entrega del dictamen {folio}."
    assert aviso not in como("requirente.sh").get(detalle(solicitud)).content.decode()
    original = registro.ACCIONES
    registro.ACCIONES = (*original, nueva)
    try:
        requirente = como("requirente.sh").get(detalle(solicitud)).content.decode()
        estrategico = como("estrategico").get(detalle(solicitud)).content.decode()
    finally:
        registro.ACCIONES = original
    assert aviso in requirente
    assert aviso not in estrategico
