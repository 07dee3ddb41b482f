"""The request page's list of attachments: each one's type, name, size, the start of its
SHA-256, who uploaded it and each warning, in one query whatever their number (what the list
prints is read with it, nothing per attachment)."""

import pytest
from django.core.cache import cache as django_cache

from dictamenes.models import Anexo
from tests.dictamenes.flujo_utils import detalle, presentada, usuario
from tests.dictamenes.tramite.test_consultas_detalle import consultas, tablas

pytestmark = pytest.mark.django_db


def test_la_lista_de_anexos_dice_cada_uno_en_una_consulta(demo, como):
    solicitud = presentada()
    subio = usuario("requirente.sh")
    for i in range(3):
        Anexo.objects.create(
            solicitud=solicitud,
            tipo="cotizacion",
            archivo=f"expedientes/cotizacion-{i}.pdf",
            nombre=f"cotizacion-{i}.pdf",
            content_type="application/pdf",
            tamano=2048 * (i + 1),
            sha256=f"{i}" * 64,
            advertencias=[f"Advertencia {i}"],
            subido_por=subio,
        )
    cliente = como("requirente.sh")
    django_cache.clear()
    sqls = consultas(cliente, detalle(solicitud))
    assert tablas(sqls)["dictamenes_anexo"] == 1
    pagina = cliente.get(detalle(solicitud)).content.decode()
    for i in range(3):
        assert (
            f'cotizacion-{i}.pdf</a> <span class="ayuda">{2 * (i + 1)}.0\xa0KB · SHA-256 '
            f"{f'{i}' * 12}… · {subio.get_full_name()} · ⚠ Advertencia {i}</span>"
        ) in pagina
