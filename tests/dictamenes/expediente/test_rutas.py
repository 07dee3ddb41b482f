"""Issue 92, item 2: every route of the request's page goes through its registry
(expediente.registro.ACCIONES) or is listed in registro.SIN_REGISTRO with the reason the
registry's shape does not fit it; and each registered action the page does not offer to the
person is refused (403) with the capability's reason in Spanish, before its form is read and
with nothing written."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.expediente import registro
from dictamenes.expediente import urls as expediente_urls
from dictamenes.expediente.views import dictamen as vistas_dictamen
from dictamenes.models import EventoAuditoria, Senal
from dictamenes.senales import services as senales
from tests.dictamenes.flujo_utils import detalle, en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo

REGISTRADAS = {accion.nombre for accion in registro.ACCIONES}


def _rutas(patrones, espacio=""):
    """Each route of the URL conf with its namespaced name, walking its includes."""
    for patron in patrones:
        if isinstance(patron, URLResolver):
            dentro = f"{espacio}{patron.namespace}:" if patron.namespace else espacio
            yield from _rutas(patron.url_patterns, dentro)
        elif isinstance(patron, URLPattern):
            yield f"{espacio}{patron.name}", patron


def test_cada_ruta_de_la_pagina_esta_registrada_o_dice_por_que_no():
    """Every route the site serves with a view of the page's room (dictamenes.expediente),
    wherever it is included: a registered action's (the registry's view, with its `Accion`),
    or one in SIN_REGISTRO with its reason; and nothing listed there without its route."""
    de_la_pagina = {
        nombre: patron
        for nombre, patron in _rutas(get_resolver().url_patterns)
        if patron.callback.__module__.startswith("dictamenes.expediente.")
    }
    assert de_la_pagina, "the walk found none of the page's routes"
    sin_razon = []
    for nombre, patron in de_la_pagina.items():
        espacio, _, corto = nombre.rpartition(":")
        if espacio == "solicitudes" and corto in REGISTRADAS:
            assert patron.callback is vistas_dictamen.registrada
            assert patron.default_args["accion"].nombre == corto
        elif espacio != "solicitudes" or not registro.SIN_REGISTRO.get(corto, "").strip():
            sin_razon.append(nombre)
    assert sin_razon == []
    servidas = {nombre.removeprefix("solicitudes:") for nombre in de_la_pagina}
    assert set(registro.SIN_REGISTRO) - servidas == set()
    assert REGISTRADAS - servidas == set()
    # Each name once: a listed route is not also an action.
    assert REGISTRADAS & set(registro.SIN_REGISTRO) == set()


def test_una_ruta_nueva_sin_registro_ni_razon_no_deja_arrancar(monkeypatch):
    """The URL conf reads the list: a route written by hand without its reason stops it."""
    razones = dict(registro.SIN_REGISTRO)
    del razones["tomar"]
    monkeypatch.setattr(registro, "SIN_REGISTRO", razones)
    try:
        with pytest.raises(ImproperlyConfigured, match="tomar"):
            importlib.reload(expediente_urls)
    finally:
        monkeypatch.undo()
        importlib.reload(expediente_urls)


CONDICIONES = (
    "1. Seguridad informática: entregar la matriz de riesgos del firewall.\n"
    "- redes: acreditar el enlace redundante con el proveedor."
)

dictamen_del_modulo = por_modulo(
    lambda: firmar(
        en_firma(areas=("redes", "seguridad"), resultado="condicionado", condiciones=CONDICIONES)
    )
)


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def _senal(dictamen):
    solicitud = dictamen.solicitud
    return Senal.objects.create(
        solicitud=solicitud,
        codigo="cobertura",
        ente=solicitud.ente,
        ejercicio=solicitud.ejercicio,
        texto="Tres cotizaciones al mismo precio.",
        detectada_en=timezone.now(),
    )


# Each registered action, someone the page does not offer it to on a signed condicionado
# request (what it acts on, and who), and the refusal they read: the capability's own reason.
NO_OFRECIDAS = {
    # Only the Dirección General proposes a rectification (access.impedimento, PROPONER).
    "proponer_rectificacion": (lambda d: d, "requirente.sh", str(exceptions.ERROR_NO_PROPONE)),
    "contrato": (lambda d: d, "estrategico", str(exceptions.ERROR_NO_ES_DE_SU_ENTE)),
    "entrega": (lambda d: d, "estrategico", str(exceptions.ERROR_NO_ES_DE_SU_ENTE)),
    "senal_atender": (_senal, "requirente.sh", str(senales.ERROR_DEL_ENTE)),
    "condicion_evidencia": (
        lambda d: d.obligaciones.get(numero=1),
        "mesa",
        str(exceptions.ERROR_NO_ES_DE_SU_ENTE),
    ),
    # Separation of duties (access.impedimento, VERIFICAR): never the agency that must meet it.
    "condicion_verificar": (
        lambda d: d.obligaciones.get(numero=1),
        "requirente.sh",
        str(exceptions.ERROR_MISMO_ENTE),
    ),
}


def test_cada_accion_registrada_dice_a_quien_no_se_le_ofrece():
    assert set(NO_OFRECIDAS) == REGISTRADAS


@pytest.mark.django_db
@pytest.mark.parametrize("accion", registro.ACCIONES, ids=lambda a: a.nombre)
def test_una_accion_que_la_pagina_no_ofrece_se_rechaza_con_su_razon(accion, dictamen, client):
    objeto_de, quien, razon = NO_OFRECIDAS[accion.nombre]
    objeto = objeto_de(dictamen)
    url = reverse(
        f"solicitudes:{accion.nombre}",
        kwargs={"pk": dictamen.solicitud_id, f"{accion.clave}_pk": objeto.pk},
    )
    client.force_login(usuario(quien))
    pagina = client.get(detalle(dictamen.solicitud))
    assert pagina.status_code == 200
    assert f'action="{url}"' not in pagina.content.decode()
    eventos = EventoAuditoria.objects.count()
    # An empty form: the refusal of the person comes before the form's errors.
    respuesta = client.post(url, {})
    assert respuesta.status_code == 403
    html = respuesta.content.decode()
    assert razon in html
    assert "Revise los campos marcados." not in html
    assert EventoAuditoria.objects.count() == eventos
