"""Who may sign, cancel or rectify a request's dictamen: one predicate
(access.impedimento, with the action as a parameter), and every place that checks it asks that one.

Before, the rule was written three times, and the signing service's copy let a superuser
through to the e.firma checks (it was refused later, or by another message): the documented
rule is that a superuser takes no part in the procedure and is told so
(tests/dictamenes/tramite/test_gestion_viewflow.py), which is now what signing says first."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from dictamenes import exceptions
from dictamenes.emision.services import emision
from dictamenes.flow_port import Nodo
from dictamenes.tramite.selectors import access, acciones

ENTE, OTRO_ENTE = 1, 2
REVISOR, DECISOR, FIRMANTE = 10, 11, 12
IMPLICADOS = {REVISOR, DECISOR}


def persona(pk, *, ente=OTRO_ENTE, superusuario=False, perfil=True):
    return SimpleNamespace(
        pk=pk,
        is_superuser=superusuario,
        perfil=SimpleNamespace(ente_id=ente) if perfil else None,
        has_perm=lambda permiso: True,
    )


SOLICITUD = SimpleNamespace(ente_id=ENTE, dictamenes=SimpleNamespace(exists=lambda: False))
ACCIONES = (access.FIRMAR, access.CANCELAR, access.RECTIFICAR)
IMPLICADO = {
    access.FIRMAR: exceptions.ERROR_FIRMA_REVISOR,
    access.CANCELAR: exceptions.ERROR_DICTAMEN_REVISOR,
    access.RECTIFICAR: exceptions.ERROR_DICTAMEN_REVISOR,
}
# (who, what they try) -> why not, or None. The same people are kept from the three.
TABLA = (
    [(persona(99, superusuario=True), a, exceptions.ERROR_SUPERUSUARIO) for a in ACCIONES]
    + [
        (persona(99, superusuario=True, ente=ENTE), a, exceptions.ERROR_SUPERUSUARIO)
        for a in ACCIONES
    ]
    + [(persona(FIRMANTE, ente=ENTE), a, exceptions.ERROR_MISMO_ENTE) for a in ACCIONES]
    + [(persona(REVISOR, ente=ENTE), a, exceptions.ERROR_MISMO_ENTE) for a in ACCIONES]
    + [(persona(REVISOR), a, IMPLICADO[a]) for a in ACCIONES]
    + [(persona(DECISOR), a, IMPLICADO[a]) for a in ACCIONES]
    + [(persona(FIRMANTE), a, None) for a in ACCIONES]
    + [(persona(FIRMANTE, perfil=False), a, None) for a in ACCIONES]
)


@pytest.mark.parametrize(("quien", "accion", "impedimento"), TABLA)
def test_quien_firma_cancela_o_rectifica(quien, accion, impedimento):
    assert (
        access.impedimento(
            usuario=quien,
            solicitud=SOLICITUD,
            accion=accion,
            revisores={REVISOR},
            decisores={DECISOR},
        )
        == impedimento
    )


class Predicado(list):
    """Stands in for the predicate: answers `respuesta` (refusing in its own words, unless
    None), and keeps what it was asked. A caller that checks the rule by itself neither asks
    it nor says its words."""

    respuesta = "Lo dice el predicado."

    def __call__(self, *, usuario, solicitud, accion, revisores=None, decisores=None):
        self.append(accion)
        return self.respuesta


@pytest.fixture
def predicado(monkeypatch):
    sustituto = Predicado()
    monkeypatch.setattr(access, "impedimento", sustituto)
    return sustituto


def test_el_paso_de_firma_lo_pregunta(predicado):
    tarea = SimpleNamespace(flow_task=SimpleNamespace(name=Nodo.FIRMA))
    impedimento = access.impedimento_de(usuario=persona(FIRMANTE), tarea=tarea, solicitud=SOLICITUD)
    assert (impedimento, predicado) == ("Lo dice el predicado.", [access.FIRMAR])


def test_el_servicio_de_firma_lo_pregunta(predicado):
    # The preview asks what signing asks, short of the e.firma (emision._exigir_puede_firmar).
    with pytest.raises(PermissionDenied) as exc:
        emision.dictamen_vista_previa(solicitud=SOLICITUD, usuario=persona(FIRMANTE))
    assert (str(exc.value), predicado) == ("Lo dice el predicado.", [access.FIRMAR])


@pytest.mark.parametrize(("respuesta", "ofrecidas"), [("No.", False), (None, True)])
def test_la_pagina_ofrece_cancelar_y_rectificar_segun_el(
    predicado, monkeypatch, respuesta, ofrecidas
):
    predicado.respuesta = respuesta
    propuesta = SimpleNamespace(datos={"resultado": "favorable"}, motivo="")
    monkeypatch.setattr(acciones, "propuesta_pendiente", lambda **kwargs: propuesta)
    pagina = acciones._sobre_el_dictamen(
        usuario=persona(FIRMANTE),
        solicitud=SOLICITUD,
        vigente=SimpleNamespace(pk=5, cancelado_en=None),
        eventos=[],
        revisores=set(),
    )
    assert ("cancelar" in pagina, "rectificar" in pagina) == (ofrecidas, ofrecidas)
    assert predicado == [access.CANCELAR, access.PROPONER]


def test_un_superusuario_no_llega_a_la_efirma():
    """What changed: the signing service asked nothing of a superuser (Django grants one every
    permission) until it took the step; it now refuses first, with the documented words."""
    with pytest.raises(PermissionDenied) as exc:
        emision.dictamen_vista_previa(
            solicitud=SOLICITUD, usuario=persona(99, superusuario=True, perfil=False)
        )
    assert str(exc.value) == str(exceptions.ERROR_SUPERUSUARIO)
