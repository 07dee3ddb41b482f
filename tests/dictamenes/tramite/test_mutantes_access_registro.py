"""The public register's order (access.dictamenes_publicos), which no test of the mutation run's
selection read (issue 92, item 3): a citizen reading /api/v1/registro/ sees the newest dictamen
first, and of two issued in the same second, the one issued last (the higher id) first."""

import datetime

import pytest

from dictamenes.models import Dictamen
from tests import demo_completa

pytestmark = pytest.mark.django_db

FUTURO = datetime.datetime(2031, 1, 15, 17, 0, tzinfo=datetime.UTC)


def test_el_registro_va_del_mas_reciente_al_mas_antiguo_y_en_empate_el_ultimo_primero(client):
    demo_completa.cargar()
    ids = sorted(Dictamen.objects.values_list("pk", flat=True))
    assert len(ids) >= 4, "la demostración trae al menos cuatro dictámenes"
    primero, segundo, tercero, cuarto = ids[:4]
    # Ids and times in opposite orders, and a tie: by id alone, or by time with the tie read in
    # the database's order, the register would read differently.
    horas = {
        primero: FUTURO + datetime.timedelta(hours=3),
        segundo: FUTURO + datetime.timedelta(hours=1),
        tercero: FUTURO + datetime.timedelta(hours=1),
        cuarto: FUTURO,
    }
    for pk, hora in horas.items():
        Dictamen.objects.filter(pk=pk).update(emitido_en=hora)
    folios = dict(Dictamen.objects.filter(pk__in=horas).values_list("pk", "folio"))

    respuesta = client.get("/api/v1/registro/")

    assert respuesta.status_code == 200
    leidos = [fila["folio"] for fila in respuesta.json()["results"][:4]]
    assert leidos == [folios[primero], folios[tercero], folios[segundo], folios[cuarto]]
