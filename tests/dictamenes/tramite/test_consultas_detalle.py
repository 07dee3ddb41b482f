"""What a request's page and the request list cost in queries: each table read once per page,
the catalogues (areas, deadlines by stage, agencies) from the cache, and a change to a
catalogue seen on the next page all the same."""

import re
from collections import Counter

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dictamenes.models import Area, PlazoEtapa
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from tests.dictamenes.flujo_utils import detalle, en_firma, firmar, presentada

pytestmark = pytest.mark.django_db

# A signed dictamen whose history went through every step, as each role sees it (same page,
# same queries: session, person, roles, the request, its events, reviews, human steps, the
# guardian object permission of the agency, items, opinions, the items' requisitos (to show
# each written declaration), information requests, dictámenes, the contracts recorded under
# them, global permissions, annexes; and for each item's price (issue 62) the office's
# configuration, the references and the quotes, once whatever the number of items).
ROLES = ("revisor.computo", "requirente.sh", "mesa", "auditor", "firmante", "estrategico")
MAXIMO_DETALLE = 21
TABLA = re.compile(r'\bFROM "(\w+)"')


def consultas(cliente, url) -> list[str]:
    with CaptureQueriesContext(connection) as capturadas:
        assert cliente.get(url).status_code == 200
    return [q["sql"] for q in capturadas]


def _exterior(sql: str) -> str:
    """The query without what it nests in parentheses (a subquery in its columns, such as
    the data's version read with the events): its own FROM is the table it reads."""
    fuera, nivel = [], 0
    for letra in sql:
        nivel += (letra == "(") - (letra == ")")
        if nivel == 0 and letra != ")":
            fuera.append(letra)
    return "".join(fuera)


def tablas(sqls) -> Counter:
    return Counter(m.group(1) for sql in sqls if (m := TABLA.search(_exterior(sql))))


# Kept per version of the data (acciones._datos_de): items, opinions, requisitos, quotes,
# information requests, dictámenes and their contracts; and the office's configuration.
DATOS_GUARDADOS = (
    "dictamenes_partida",
    "dictamenes_opinionpartida",
    "estandares_requisito",
    "dictamenes_cotizacion",
    "dictamenes_peticioninformacion",
    "dictamenes_dictamen",
    "dictamenes_contrato",
    "dictamenes_configuracionvias",
    "dictamenes_referenciaprecio",
)


def _claves_de_datos():
    """What the request's page keeps (locmem, the tests' cache: its keys are readable)."""
    return (
        clave.split(":", 2)[-1]
        for clave in django_cache._cache  # noqa: SLF001
        if clave.split(":")[2]
        in ("solicitud-datos", "vias-vigentes", "entes-requirente", "referencias")
    )


@pytest.fixture
def dictaminada(demo):
    return firmar(en_firma(areas=("computo", "redes"))).solicitud


@pytest.mark.parametrize("username", ROLES)
def test_la_pagina_de_una_solicitud_dictaminada_lee_cada_tabla_una_vez(dictaminada, como, username):
    cliente = como(username)
    url = detalle(dictaminada)
    consultas(cliente, url)  # content types and the catalogues cached first
    django_cache.delete_many(list(_claves_de_datos()))
    sqls = consultas(cliente, url)
    assert len(sqls) <= MAXIMO_DETALLE, "\n".join(sqls)
    # A price reference's monthly series and the purchases it left out are its item's price
    # page's (~95 KB of JSON for ten items at K=10): the request's page neither reads nor
    # keeps them.
    assert not [sql for sql in sqls if '"dictamenes_referenciaprecio"."serie"' in sql]
    assert not [sql for sql in sqls if '"dictamenes_referenciaprecio"."excluidas"' in sql]
    leidas = tablas(sqls)
    for tabla in (
        "dictamenes_eventoauditoria",
        "dictamenes_revisionarea",
        "viewflow_task",
        *DATOS_GUARDADOS,
    ):
        assert leidas[tabla] == 1, (tabla, leidas)
    # The next visit, at the same version of the data: the request's own rows (the same for
    # every reader) come from the cache.
    otra = tablas(consultas(cliente, url))
    assert {tabla: otra[tabla] for tabla in DATOS_GUARDADOS} == dict.fromkeys(DATOS_GUARDADOS, 0)
    assert otra["dictamenes_eventoauditoria"] == 1
    # The agencies the person acts for as requirente (guardian): kept per version as well for
    # the staff; read once for a requirente all the same, to scope what they may see.
    assert otra["dictamenes_ente"] == (1 if username == "requirente.sh" else 0)
    # Catalogues and sums the page already has, and the calendar of a page with no open step.
    for tabla in ("dictamenes_area", "dictamenes_plazoetapa", "dictamenes_diainhabil"):
        assert not leidas[tabla], (tabla, leidas)
    assert not any(sql.startswith("SELECT SUM(") for sql in sqls)


def test_los_catalogos_de_la_pagina_se_leen_una_vez_y_no_en_cada_visita(demo, como):
    solicitud = presentada(areas=("computo",))
    cliente = como("mesa")
    primera = tablas(consultas(cliente, detalle(solicitud)))
    assert primera["dictamenes_area"] == primera["dictamenes_plazoetapa"] == 1
    segunda = tablas(consultas(cliente, detalle(solicitud)))
    assert not segunda["dictamenes_area"] and not segunda["dictamenes_plazoetapa"]


def _siguiente(html: str, clave: str) -> str:
    """The text of the stepper's next step `clave`."""
    bloque = re.search(rf'data-paso="{clave}".*?</li>', html, re.S)
    assert bloque, clave
    return " ".join(re.sub(r"<[^>]+>", " ", bloque.group(0)).split())


def test_un_area_renombrada_o_un_plazo_cambiado_se_ven_en_la_siguiente_pagina(demo, como):
    solicitud = presentada(areas=("computo",))
    cliente = como("mesa")
    texto = _siguiente(cliente.get(detalle(solicitud)).content.decode(), "revision_tecnica:computo")
    assert "Equipo de cómputo e impresión" in texto
    assert "plazo de 5 días hábiles" in texto  # the default, no PlazoEtapa row yet

    # As the administrator changes them (the admin saves the model).
    area = Area.objects.get(clave="computo")
    area.nombre = "Cómputo personal"
    area.save()
    PlazoEtapa.objects.update_or_create(
        etapa=PlazoEtapa.Etapa.REVISION_AREA, defaults={"dias_habiles": 7}
    )
    texto = _siguiente(cliente.get(detalle(solicitud)).content.decode(), "revision_tecnica:computo")
    assert "Revisión técnica: Cómputo personal" in texto
    assert "plazo de 7 días hábiles" in texto

    PlazoEtapa.objects.filter(etapa=PlazoEtapa.Etapa.REVISION_AREA).get().delete()
    texto = _siguiente(cliente.get(detalle(solicitud)).content.decode(), "revision_tecnica:computo")
    assert "plazo de 5 días hábiles" in texto


def test_la_lista_lee_los_catalogos_de_sus_filtros_de_la_cache(demo, como):
    presentada(areas=("computo",))
    cliente = como("auditor")
    url = reverse("solicitudes:lista")
    textos_vigentes_en_cache()  # warm, as on a running site: the header reads it from the cache
    primera = consultas(cliente, url)
    segunda = consultas(cliente, url)
    assert len(segunda) == len(primera) - 2
    assert not tablas(segunda)["dictamenes_area"] and not tablas(segunda)["dictamenes_ente"]
    html = cliente.get(url).content.decode()
    assert '<option value="computo">Equipo de cómputo e impresión</option>' in html
    assert ">SH</option>" in html


def test_la_lista_de_un_requirente_lee_su_ente_una_vez_y_filtra_por_el(demo, como):
    """Given as a guardian subquery, PostgreSQL could not tell the agency was one and counted
    and sorted every agency's requests; the agency is read once and the list filters by it."""
    from dictamenes.models import Solicitud

    presentada(areas=("computo",))
    sqls = consultas(como("requirente.sh"), reverse("solicitudes:lista"))
    de_solicitudes = [s for s in sqls if 'FROM "dictamenes_solicitud"' in s]
    assert len(de_solicitudes) == 2, sqls  # the count and the page
    assert not any("guardian" in s for s in de_solicitudes), de_solicitudes
    assert sum('FROM "guardian_' in s or "guardian_" in s.split("WHERE")[0] for s in sqls) == 1
    # And it still shows only its own agency's requests.
    ente_sh = Solicitud.objects.filter(ente__siglas="SH").values_list("folio", flat=True)
    otros = Solicitud.objects.exclude(ente__siglas="SH").exclude(folio="")
    html = como("requirente.sh").get(reverse("solicitudes:lista")).content.decode()
    assert all(folio in html for folio in ente_sh if folio)
    assert not any(s.folio in html for s in otros)


@pytest.mark.parametrize(
    ("username", "filtros"),
    [("auditor", ""), ("auditor", "?q=a&area=computo"), ("requirente.sh", "")],
    ids=["lista", "busqueda", "requirente"],
)
def test_la_lista_lee_solo_las_columnas_que_muestra_y_ninguna_fila_pide_mas(
    demo, como, username, filtros
):
    """A page of the list reads what its table shows, not each request's long texts and JSON,
    and no row reads anything more afterwards (a deferred column would cost a query a row)."""
    from dictamenes.models import Solicitud

    for _ in range(3):
        presentada(areas=("computo",))
    cliente = como(username)
    url = reverse("solicitudes:lista") + filtros
    consultas(cliente, url)
    sqls = consultas(cliente, url)
    # The page's rows (LIMIT): one query, and none a row (a deferred column's read is one).
    de_solicitudes = [s for s in sqls if 'FROM "dictamenes_solicitud"' in s and "LIMIT" in s]
    assert len(de_solicitudes) == 1, sqls
    for columna in ("justificacion", "alineacion", "via_razones", "categorias_importadas"):
        assert f'"{columna}"' not in de_solicitudes[0]
    html = cliente.get(url).content.decode()
    ultima = Solicitud.objects.order_by("-pk").first()
    fila = re.search(rf'/solicitudes/{ultima.pk}/">.*?</tr>', html, re.S).group(0)
    assert ultima.folio in fila and ultima.titulo in fila and "$" in fila


def test_la_busqueda_del_auditor_lee_sus_filas_y_su_total_en_una_consulta(demo, como):
    """A search by text (and area) reads its page and its exact total in one pass
    (COUNT(*) OVER ()); the caption gives the total a plain count gives."""
    from dictamenes.models import Solicitud

    for _ in range(3):
        presentada(areas=("computo",))
    url = reverse("solicitudes:lista") + "?q=a&area=computo"
    sqls = consultas(como("auditor"), url)
    de_solicitudes = [s for s in sqls if 'FROM "dictamenes_solicitud"' in s]
    assert len(de_solicitudes) == 1, sqls
    assert "COUNT(*) OVER ()" in de_solicitudes[0]
    esperadas = (
        Solicitud.objects.filter(titulo__icontains="a")
        .filter(partidas__perfil__categoria__area__clave="computo")
        .distinct()
        .count()
    )
    assert esperadas >= 3
    html = como("auditor").get(url).content.decode()
    assert re.search(rf"<caption>\s*{esperadas} solicitudes\s*</caption>", html), html


def test_la_busqueda_cuenta_sin_unir_los_entes_y_cada_fila_lleva_el_suyo(demo, como):
    """A search counts every matching row: joined to the agencies there, PostgreSQL looped over
    the agencies for each row it had not expected. Its page's agencies are read apart, once,
    and each row still shows its own; a list that is not a search keeps the join."""
    from dictamenes.models import Solicitud

    presentada(areas=("computo",))
    presentada(areas=("computo",), requirente="requirente.rc")
    busqueda = reverse("solicitudes:lista") + "?q=a&area=computo"
    sqls = consultas(como("auditor"), busqueda)
    de_solicitudes = [s for s in sqls if 'FROM "dictamenes_solicitud"' in s]
    assert len(de_solicitudes) == 1, sqls
    assert '"dictamenes_ente"' not in de_solicitudes[0]
    assert len([s for s in sqls if 'FROM "dictamenes_ente" WHERE' in s]) == 1, sqls
    html = como("auditor").get(busqueda).content.decode()
    filas = re.findall(r'<tr>\s*<th scope="row"><a href="/solicitudes/(\d+)/">.*?</tr>', html, re.S)
    siglas = dict(Solicitud.objects.values_list("pk", "ente__siglas"))
    assert len({siglas[int(pk)] for pk in filas}) >= 2, filas
    for pk in filas:
        fila = re.search(rf'/solicitudes/{pk}/">.*?</tr>', html, re.S).group(0)
        assert f"<td>{siglas[int(pk)]}</td>" in fila, fila
    sin_busqueda = consultas(como("auditor"), reverse("solicitudes:lista"))
    pagina = [s for s in sin_busqueda if 'FROM "dictamenes_solicitud"' in s and "LIMIT" in s]
    assert len(pagina) == 1 and 'JOIN "dictamenes_ente"' in pagina[0], sin_busqueda


@pytest.mark.postgres
def test_la_busqueda_se_planea_con_lo_que_se_tecleo_aunque_se_repita(demo, como):
    """Run a dozen times on one connection (psycopg prepares it at the fifth), the search is
    still planned for what was typed each time: PostgreSQL never switches to the generic plan
    it may keep for a prepared query, which cannot know how many rows the text matches."""
    assert connection.vendor == "postgresql"
    for _ in range(3):
        presentada(areas=("computo",))
    cliente = como("auditor")
    url = reverse("solicitudes:lista") + "?q=a&area=computo"
    for _ in range(12):
        assert cliente.get(url).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ["%total_de_la_busqueda%"],
        )
        planes = cursor.fetchall()
    assert planes, "la búsqueda no llegó a prepararse"
    assert sum(genericos for genericos, _ in planes) == 0, planes
    assert sum(propios for _, propios in planes) >= 6, planes


def test_el_historial_se_reusa_y_cada_evento_nuevo_se_ve_en_la_siguiente_visita(demo, como):
    """The history is rendered once per state of the request (events are only appended),
    for everyone who opens it; a new event shows on the very next visit."""
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    from dictamenes.tramite.services import etapas
    from tests.dictamenes.flujo_utils import usuario

    solicitud = presentada(areas=("computo",))
    eventos = list(solicitud.eventos.all())
    version = f"{len(eventos)}-{eventos[-1].pk}"
    clave = make_template_fragment_key("historial", [solicitud.pk, version, "es-mx"])
    assert cache.get(clave) is None
    antes = como("auditor").get(detalle(solicitud)).content.decode()
    assert "Solicitud presentada con folio" in cache.get(clave)
    # Another person gets the same history, from the cache.
    assert "Solicitud presentada con folio" in como("mesa").get(detalle(solicitud)).content.decode()
    assert "admitida" not in antes.split('id="t-historial"')[1].lower()

    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    despues = como("auditor").get(detalle(solicitud)).content.decode()
    historial = despues.split('id="t-historial"')[1]
    assert "Solicitud presentada con folio" in historial
    assert "admitida" in historial.lower()


@pytest.mark.parametrize(
    ("etapa", "username"),
    [("revisada", "estrategico"), ("admitida", "revisor.computo")],
)
def test_la_separacion_de_funciones_se_pregunta_a_lo_que_la_pagina_ya_leyo(
    demo, como, etapa, username
):
    """Whether the person may attend the open step (who reviewed the request, who decided
    it): asked of the reviews and events the page read, not read again."""
    from tests.dictamenes import flujo_utils as fu

    solicitud = getattr(fu, etapa)(areas=("computo",))
    cliente = como(username)
    url = detalle(solicitud)
    consultas(cliente, url)
    leidas = tablas(consultas(cliente, url))
    assert (leidas["dictamenes_revisionarea"], leidas["dictamenes_eventoauditoria"]) == (1, 1)
