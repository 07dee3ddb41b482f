import pytest
from django.db import connection

from dictamenes.models import Ente
from dictamenes.personas.services import personas
from tests.backends.plugin import require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _requires_postgres():
    require_postgres()


@pytest.mark.django_db
def test_la_suite_corre_sobre_postgresql_con_psycopg3():
    assert connection.vendor == "postgresql"
    assert connection.Database.__name__ == "psycopg"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


@pytest.mark.django_db
def test_las_siglas_de_ente_son_unicas_en_postgresql():
    from django.core.exceptions import ValidationError

    personas.ente_crear(nombre="Secretaría de Economía", siglas="SE", tipo=Ente.Tipo.DEPENDENCIA)
    with pytest.raises(ValidationError):
        personas.ente_crear(nombre="Otra", siglas="SE", tipo=Ente.Tipo.DEPENDENCIA)
    # The accented name survives the round trip through the server's UTF-8 encoding.
    assert Ente.objects.get(siglas="SE").nombre == "Secretaría de Economía"
