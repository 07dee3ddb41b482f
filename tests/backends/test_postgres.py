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


@pytest.mark.django_db
def test_lo_que_cada_pagina_pregunta_se_prepara_y_no_se_planea_otra_vez(client, django_user_model):
    """The person's groups and permissions, read on every signed-in page: from the fifth visit
    on the connection, PostgreSQL keeps the query prepared (psycopg's threshold), instead of
    planning it again (most of its time). Django leaves preparing off unless the settings ask
    (config.settings.base)."""
    from cuentas.backends import _consulta_grupos_y_permisos

    persona = django_user_model.objects.create_user("preparada", password="x" * 12)
    client.force_login(persona)
    consulta = " ".join(_consulta_grupos_y_permisos().replace("%s", "$").split())

    def preparadas() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [
                s for (s,) in cursor.fetchall() if " ".join(s.split()).startswith(consulta[:60])
            ]

    for _ in range(4):
        assert client.get("/").status_code == 200
    assert preparadas() == []
    for _ in range(2):
        assert client.get("/").status_code == 200
    assert len(preparadas()) == 1
