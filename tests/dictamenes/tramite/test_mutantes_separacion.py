"""Separation of duties as a query (dictamenes/separacion/regla.py, sin_impedimento) where the
mutation run (issue 92, item 3) found no test: an account with no profile (one made in the
Django admin: no agency, no RFC). The rule bars it from nothing for its agency, since it has
none; the predicate says so, and the lists (pendientes, contracts to check) must keep the
requests of every agency for it, not fail."""

import pytest
from django.contrib.auth import get_user_model

from dictamenes.models import Solicitud
from dictamenes.tramite.selectors import access
from tests.dictamenes.flujo_utils import borrador

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accion", [access.ATENDER, access.DECIDIR, access.VERIFICAR_CONTRATO])
def test_una_cuenta_sin_perfil_no_es_de_ningun_ente_y_la_lista_deja_sus_solicitudes(demo, accion):
    de_sh, de_rc = borrador(requirente="requirente.sh"), borrador(requirente="requirente.rc")
    sin_perfil = get_user_model().objects.create_user("sin.perfil", "sin.perfil@demo.invalid")
    assert not hasattr(sin_perfil, "perfil")
    for solicitud in (de_sh, de_rc):
        assert access.impedimento(usuario=sin_perfil, solicitud=solicitud, accion=accion) is None
    dejadas = Solicitud.objects.filter(access.sin_impedimento(usuario=sin_perfil, accion=accion))
    assert set(dejadas.values_list("pk", flat=True)) == {de_sh.pk, de_rc.pk}
