"""A module's shared state (tests/por_modulo.py) has its deferred foreign keys checked once,
when it is built: a state that points at a row that does not exist is refused there."""

import pytest
from django.db import IntegrityError, transaction

from dictamenes.models import Area
from tests.por_modulo import llaves_comprobar

pytestmark = pytest.mark.django_db


def test_un_estado_con_una_llave_rota_no_se_usa(demo):
    perfiles = Area.objects.get(clave="redes").categorias
    assert perfiles.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        # PostgreSQL defers Django's foreign keys to the commit, which a module's state never
        # reaches: without the check, the broken key would pass.
        perfiles.update(area_id=987_654)
        llaves_comprobar()


def test_un_estado_sano_pasa(demo):
    with transaction.atomic():
        Area.objects.create(clave="nube", nombre="Servicios de nube")
        llaves_comprobar()
    assert Area.objects.filter(clave="nube").exists()
