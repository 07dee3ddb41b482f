"""Who may attend a step (access.puede_atender), where the mutation run (issue 92, item 3)
found no test that reads its answer: the inbox offers a step only to whom this says yes. A
step of the Subsecretaría's (admisión) is barred to anyone of the request's agency and to a
superuser; anyone else may attend it. The step's role is viewflow's to check, not this."""

from types import SimpleNamespace

import pytest

from dictamenes.flow_port import Nodo
from dictamenes.tramite.selectors import access

SOLICITUD = SimpleNamespace(pk=1, ente_id=7)


def _persona(*, ente_id=None, superusuario=False):
    return SimpleNamespace(
        pk=50,
        is_superuser=superusuario,
        perfil=SimpleNamespace(ente_id=ente_id),
        has_perm=lambda permiso: True,
    )


def _paso(nombre):
    return SimpleNamespace(flow_task=SimpleNamespace(name=nombre))


@pytest.mark.parametrize(
    ("persona", "puede"),
    [
        (_persona(), True),  # the Subsecretaría's staff: no agency
        (_persona(ente_id=8), True),  # another agency's
        (_persona(ente_id=7), False),  # the request's agency
        (_persona(superusuario=True), False),
    ],
)
def test_atender_la_admision_lo_puede_quien_no_es_del_ente_ni_superusuario(persona, puede):
    paso = _paso(Nodo.ADMISION)
    assert access.puede_atender(usuario=persona, tarea=paso, solicitud=SOLICITUD) is puede


def test_subsanar_es_del_ente_y_solo_un_superusuario_no_lo_atiende():
    paso = _paso(Nodo.SUBSANAR)
    del_ente = _persona(ente_id=7)
    assert access.puede_atender(usuario=del_ente, tarea=paso, solicitud=SOLICITUD) is True
    superusuario = _persona(superusuario=True)
    assert access.puede_atender(usuario=superusuario, tarea=paso, solicitud=SOLICITUD) is False


@pytest.mark.parametrize(
    ("paso", "accion"),
    [
        (Nodo.ADMISION, access.ATENDER),
        (Nodo.REVISION_TECNICA, access.REVISAR),
        (Nodo.RE_REVISION, access.REVISAR),
        (Nodo.REVISION_ESTRATEGICA, access.DECIDIR),
        (Nodo.FIRMA, access.FIRMAR),
        (Nodo.SUBSANAR, None),
    ],
)
def test_cada_paso_del_flujo_es_la_accion_de_la_tabla_que_lo_separa(paso, accion):
    # A technical reviewer may not decide the same request, nor sign it: the step's action is
    # what picks the row of the separation table that applies.
    assert access.accion_de_paso(paso) == accion
