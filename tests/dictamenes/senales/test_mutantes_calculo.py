"""The reading of the signs (dictamenes/senales/calculo.py) where the mutation run (issue 92,
item 3) found no test: a supplier who is one of the agency's staff. The agency's staff are
compared with every quote of the request; their names are read in one query however many they
are (each presentation and each change of a quote computes the signs again)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dictamenes.models import Ente
from dictamenes.roles import Rol
from dictamenes.senales import calculo
from estandares import identidad
from tests.dictamenes.flujo_utils import persona, usuario

pytestmark = pytest.mark.django_db


def test_el_personal_del_ente_se_lee_en_una_consulta_y_por_su_nombre_completo(demo):
    sh = Ente.objects.get(siglas="SH")
    for username, nombre, rfc in (
        ("enlace.sh", "Rosa María", "ROMX800101AB1"),
        ("apoyo.sh", "Luis", "LUIX800101AB1"),
    ):
        persona(username, roles=[Rol.REQUIRENTE], rfc=rfc, nombre=nombre, ente=sh)
    with CaptureQueriesContext(connection) as consultas:
        personal = calculo._personal(sh.pk)
    assert len(consultas) == 1
    completos = [usuario(u).get_full_name() for u in ("requirente.sh", "enlace.sh", "apoyo.sh")]
    assert set(personal) == {identidad.persona_canonica(n) for n in completos}
