"""The attachments' list the request's page draws in Python (expediente.anexos_lista) is, character
by character, what templates/solicitudes/_anexos.html draws for the same attachments: none, one
or several, each size from bytes to gigabytes, warnings or none, and names, types, hashes and
people with text that must be escaped."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from dictamenes.expediente import anexos_lista


class _Anexo(SimpleNamespace):
    def get_tipo_display(self):
        return self.tipo


def _anexo(pk, tipo, nombre, tamano, sha256, quien, advertencias):
    return _Anexo(
        pk=pk,
        tipo=tipo,
        nombre=nombre,
        tamano=tamano,
        sha256=sha256,
        subido_por=SimpleNamespace(get_full_name=lambda: quien),
        advertencias=advertencias,
    )


_ANEXOS = [
    _anexo(1, "Oficio de solicitud", "oficio.pdf", 0, "a" * 64, "Ana Ruiz", []),
    _anexo(
        22,
        "Cotización <de> «Proveedor» & Cía",
        'precio "final" <b>.pdf',
        1023,
        "0123456789abcdef" * 4,
        "O'Brien <Mesa> & Cía",
        ["El PDF trae JavaScript", "Firma <no> válida & vencida"],
    ),
    _anexo(333, "Anexo técnico", "ficha.xlsx", 1024, "f" * 64, "", None),
    _anexo(4, "Contrato", "contrato.pdf", 5 * 1024 * 1024 + 12345, "b" * 10, "Luis", ["uno"]),
    _anexo(5, "Justificación", "x%s%(a)s.pdf", 3 * 1024**3, "c" * 64, "%(n)s", ["%s %%"]),
]


@pytest.mark.parametrize(
    "anexos",
    [[], _ANEXOS[:1], _ANEXOS[1:2], _ANEXOS[2:3], _ANEXOS[3:], _ANEXOS],
    ids=["ninguno", "uno", "por-escapar", "sin-avisos", "tamanos", "todos"],
)
def test_la_lista_dibujada_en_python_es_la_de_su_plantilla(anexos):
    solicitud = SimpleNamespace(pk=17)
    plantilla = render_to_string(
        "solicitudes/_anexos.html", {"anexos": anexos, "solicitud": solicitud}
    )
    assert anexos_lista.dibujar(anexos, solicitud) == plantilla
