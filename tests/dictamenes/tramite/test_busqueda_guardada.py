"""Issue 79, item 6: what the request list's search reads is kept on the request.

The profiles of a request's items (Solicitud.perfiles_busqueda) follow every writer of items:
the draft's item services (the item pages call them), the demo loader, the history generator
and the migration that filled the rows already there. The expected value comes from the items
themselves, read with plain SQL. The search gives the same requests as the query it replaces
(an `icontains` over the title and the folio, and a probe into the items for the area), for
texts in capitals, small letters and accents, and for every area."""

import importlib
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from dictamenes.models import Area, Partida, Solicitud
from dictamenes.tramite.filtros import SolicitudFilter
from dictamenes.tramite.services import solicitudes
from estandares.models import Perfil
from tests.dictamenes.flujo_utils import borrador, perfil_de_area, presentada, usuario

pytestmark = pytest.mark.django_db

migracion = importlib.import_module("dictamenes.migrations.0052_busqueda_en_la_solicitud")


def _perfiles_de_sus_partidas() -> dict[int, set[str]]:
    """Each request's items' profiles, read from the items with plain SQL."""
    esperado = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM dictamenes_solicitud")
        for (pk,) in cursor.fetchall():
            esperado[pk] = set()
        cursor.execute("SELECT solicitud_id, perfil_id FROM dictamenes_partida")
        for solicitud_id, perfil_id in cursor.fetchall():
            esperado[solicitud_id].add(str(perfil_id))
    return dict(esperado)


def _guardados() -> dict[int, set[str]]:
    return {
        pk: set(perfiles)
        for pk, perfiles in Solicitud.objects.values_list("pk", "perfiles_busqueda")
    }


def _al_dia():
    assert _guardados() == _perfiles_de_sus_partidas()


def _datos(area: str) -> dict:
    return {
        "perfil": perfil_de_area(area),
        "descripcion": f"Otra partida de {area}",
        "cantidad": 1,
        "precio_unitario": Decimal("5000.00"),
        "capitulo": "5000",
        "partida_especifica": "51501",
        "especificaciones": {},
    }


def test_el_cargador_de_la_demo_deja_los_perfiles_de_su_solicitud(demo):
    """The demo loader writes its items through the services (demo.solicitudes)."""
    from demo.solicitudes import en_firma

    solicitud = en_firma("Solicitud de la demostración")
    assert solicitud.perfiles_busqueda
    _al_dia()


def test_agregar_cambiar_y_quitar_partidas_mueve_los_perfiles(demo):
    solicitud = borrador(areas=("computo",))
    autor = usuario("requirente.sh")
    computo, redes = perfil_de_area("computo"), perfil_de_area("redes")
    solicitud.refresh_from_db()
    assert set(solicitud.perfiles_busqueda) == {str(computo.pk)}

    otra = solicitudes.partida_guardar(solicitud=solicitud, usuario=autor, datos=_datos("redes"))
    solicitud.refresh_from_db()
    assert set(solicitud.perfiles_busqueda) == {str(computo.pk), str(redes.pk)}

    primera = solicitud.partidas.exclude(pk=otra.pk).get()
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=autor,
        datos=_datos("seguridad"),
        partida=primera,
        version=primera.version,
    )
    solicitud.refresh_from_db()
    seguridad = perfil_de_area("seguridad")
    assert set(solicitud.perfiles_busqueda) == {str(redes.pk), str(seguridad.pk)}
    _al_dia()


def test_quitar_una_partida_en_su_pagina_la_saca_de_la_busqueda_por_area(demo, como):
    solicitud = borrador(areas=("computo", "redes"), titulo="Dos áreas")
    redes = solicitud.partidas.get(perfil=perfil_de_area("redes"))
    cliente = como("requirente.sh")
    lista = reverse("solicitudes:lista")
    assert solicitud in cliente.get(lista, {"area": "redes"}).context["pagina"]

    respuesta = cliente.post(reverse("solicitudes:partida_eliminar", args=[solicitud.pk, redes.pk]))

    assert respuesta.status_code == 302
    assert solicitud not in cliente.get(lista, {"area": "redes"}).context["pagina"]
    assert solicitud in cliente.get(lista, {"area": "computo"}).context["pagina"]
    _al_dia()


def test_el_generador_de_historia_deja_los_perfiles_de_cada_solicitud(demo):
    from demo import historico

    antes = Solicitud.objects.count()
    historico.generar(anios=1, escala=0.02, semilla=3)
    assert Solicitud.objects.count() >= antes + 10
    _al_dia()


def test_la_migracion_llena_las_solicitudes_que_ya_estaban(demo):
    presentada(areas=("computo", "seguridad"))
    Solicitud.objects.update(perfiles_busqueda={})
    assert any(_perfiles_de_sus_partidas().values())

    with connection.cursor() as cursor:

        class Editor:  # what the migration uses of its schema editor
            execute = cursor.execute

        Editor.connection = connection
        migracion.llenar(None, Editor())

    _al_dia()


# What people type: capitals, small letters, accents, a folio's pieces, and LIKE's own
# characters, which must match themselves.
TEXTOS = [
    "equipo",
    "EQUIPO",
    "Equipo",
    "cómputo",
    "CÓMPUTO",
    "computo",
    "ñandú",
    "ÑANDÚ",
    "straße",
    "STRASSE",
    "100%",
    "de_equipo",
    "_",
    "%",
    "sfp",
    "-0",
    "renovación",
]


def _como_antes(qs, *, q: str | None, area: str | None):
    """The search this item replaced: UPPER() of each row's title and folio, and a probe
    into its items for one of the area's profiles."""
    if q:
        qs = qs.filter(Q(titulo__icontains=q) | Q(folio__icontains=q))
    if area:
        perfiles = Perfil.objects.filter(categoria__area__clave=area)
        qs = qs.filter(
            Exists(Partida.objects.filter(solicitud=OuterRef("pk"), perfil_id__in=perfiles))
        )
    return set(qs.values_list("pk", flat=True))


def test_la_busqueda_encuentra_lo_mismo_que_antes(demo):
    for titulo, areas in [
        ("Equipo de CÓMPUTO para ventanillas", ("computo",)),
        ("renovación de equipo", ("redes", "seguridad")),
        ("Ñandú: señal de la red", ("redes",)),
        ("Straße y maß", ("computo", "redes")),
        ("Descuento del 100% de_equipo", ("seguridad",)),
    ]:
        presentada(titulo=titulo, areas=areas)
    borrador(titulo="Cómputo en borrador", areas=("computo",))
    todas = Solicitud.objects.all()
    areas = [*Area.objects.values_list("clave", flat=True), "no-existe"]
    casos = [(q, None) for q in TEXTOS] + [(None, a) for a in areas]
    casos += [(q, a) for q in ("equipo", "CÓMPUTO", "ñandú") for a in areas]
    encontradas = 0
    for q, area in casos:
        datos = {k: v for k, v in {"q": q, "area": area}.items() if v}
        filtro = SolicitudFilter(datos, queryset=todas)
        assert filtro.is_valid(), datos
        ahora = set(filtro.qs.values_list("pk", flat=True))
        assert ahora == _como_antes(todas, q=q, area=area), datos
        encontradas += len(ahora)
    assert encontradas >= 30
