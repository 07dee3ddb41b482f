"""The supplier's RFC in what is published (issue 88, item 3).

A company's RFC (persona moral, 12 characters) is public procurement data: the contract's
supplier party carries it as its identifier, in org-id.guide's scheme for SAT's register,
`{"scheme": "MX-RFC", "id": <RFC>, "legalName": <name>}`, and the party's id is made from
it, so that one supplier written two ways is one party of the process. A person's RFC
(persona física, 13 characters) is personal data: no open-data file carries it, in any form.
The packages pass the standard's own checker (libcoveocds, tests.ocds_validador); it has no
check of the identifier's scheme (the release schema leaves `identifier.scheme` a free
string, pointing to org-id.guide), so MX-RFC gives neither error nor warning."""

import datetime
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import EntregaOCDS, EventoAuditoria
from dictamenes.seguimiento.services import contratos
from publico.ocds.proveedores import id_proveedor, proveedor_de
from tests import ocds_validador
from tests.datos_personales_mx import rfc_digito, rfc_moral
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo
from tests.publico.test_datos_personales_estructura_e2e import _publicado as archivos_abiertos

pytestmark = pytest.mark.django_db

EMPRESA = "Redes del Pacífico, S.A. de C.V."
# The same company as another hand writes it.
EMPRESA_OTRA_MANO = "REDES DEL PACIFICO SA DE CV"
EMPRESA_RFC = rfc_moral("RPA", datetime.date(1985, 1, 1), "B3")
PERSONA = "Diana Gómez Delgado"
PERSONA_RFC = "GODE561231GR" + rfc_digito("GODE561231GR")

dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def _registrar(dictamen, numero: str, proveedor: str, proveedor_rfc: str):
    return contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero=numero,
        proveedor=proveedor,
        proveedor_rfc=proveedor_rfc,
        fecha=timezone.localdate(),
        monto=Decimal("5000.00"),
    )


def _paquetes(dictamen) -> tuple[str, str]:
    """The month's release package and the request's record package, as anyone reads them,
    serialized whole."""
    mes = f"{timezone.localtime():%Y-%m}"
    ocid = f"{settings.OCDS_PREFIJO_OCID}-{dictamen.solicitud.folio}"
    cliente = Client()

    def leer(url: str) -> str:
        respuesta = cliente.get(url)
        assert respuesta.status_code == 200
        contenido = respuesta.streaming_content if respuesta.streaming else [respuesta.content]
        return b"".join(contenido).decode()

    return leer(reverse("ocds_entregas", args=[mes])), leer(reverse("ocds_registro", args=[ocid]))


def _proveedores(parte_de: dict) -> list[dict]:
    return [p for p in parte_de["parties"] if "supplier" in p["roles"]]


def test_un_evento_con_el_rfc_de_una_persona_no_lo_publica():
    """The chain keeps a company's RFC only; but an event written before (the field's first
    version kept any) still publishes none of a person's: her party as any without an RFC."""
    ref, parte = proveedor_de({"proveedor": PERSONA, "proveedor_rfc": PERSONA_RFC})
    assert ref == {"id": id_proveedor(PERSONA), "name": PERSONA}
    assert parte == {**ref, "roles": ["supplier"]}
    ref, parte = proveedor_de({"proveedor": EMPRESA, "proveedor_rfc": EMPRESA_RFC})
    assert parte["identifier"] == {"scheme": "MX-RFC", "id": EMPRESA_RFC, "legalName": EMPRESA}


def test_una_empresa_escrita_de_dos_maneras_es_una_parte_con_su_rfc(dictamen):
    _registrar(dictamen, "SH-2026-101", EMPRESA, EMPRESA_RFC)
    _registrar(dictamen, "SH-2026-102", EMPRESA_OTRA_MANO, EMPRESA_RFC)
    mes, registro = _paquetes(dictamen)
    paquete_mes, paquete_registro = json.loads(mes), json.loads(registro)

    # Each contract's release: its supplier party identified by the RFC, its name as written.
    contratos_ = [
        e
        for e in paquete_mes["releases"]
        if "contract" in e["tag"] and e["ocid"].endswith(dictamen.solicitud.folio)
    ]
    assert [_proveedores(e) for e in contratos_] == [
        [
            {
                "id": f"MX-RFC-{EMPRESA_RFC}",
                "name": nombre,
                "identifier": {"scheme": "MX-RFC", "id": EMPRESA_RFC, "legalName": nombre},
                "roles": ["supplier"],
            }
        ]
        for nombre in (EMPRESA, EMPRESA_OTRA_MANO)
    ]
    # The record: one supplier party for both awards (ocdsmerge joins parties by id).
    (compilado,) = [r["compiledRelease"] for r in paquete_registro["records"]]
    (parte,) = _proveedores(compilado)
    assert (parte["id"], parte["identifier"]["scheme"], parte["identifier"]["id"]) == (
        f"MX-RFC-{EMPRESA_RFC}",
        "MX-RFC",
        EMPRESA_RFC,
    )
    assert [a["suppliers"][0]["id"] for a in compilado["awards"]] == [f"MX-RFC-{EMPRESA_RFC}"] * 2
    # The standard's checker: no error in either package, with the identifier, and no warning
    # about it: not an unknown field, not a code outside a codelist (the scheme has none).
    assert ocds_validador.errores(paquete_mes) == []
    assert ocds_validador.errores(paquete_registro) == []
    informe = ocds_validador.validar(paquete_mes)
    assert [c for c in informe["additional_fields"] if "identifier" in c["path"]] == []
    assert informe["additional_closed_codelist_values"] == {}
    assert [c for c in informe["additional_open_codelist_values"] if "identifier" in c] == []
    assert "empty_field" not in (informe.get("additional_checks") or {})


def test_el_rfc_de_una_persona_no_esta_en_ningun_archivo_publicado(dictamen):
    """Her contract is published, with her name (the transparency law asks for it) and
    without her RFC: not in the OCDS packages (read whole, as text), not in any other
    open-data file, not in the releases kept as published, not in the audit chain."""
    _registrar(dictamen, "SH-2026-103", PERSONA, PERSONA_RFC)
    mes, registro = _paquetes(dictamen)
    (compilado,) = [r["compiledRelease"] for r in json.loads(registro)["records"]]
    (parte,) = _proveedores(compilado)
    assert parte["name"] == PERSONA and "identifier" not in parte
    assert parte["id"].startswith("MX-PROV-")
    assert PERSONA in mes  # published: the test reads a package that has her contract

    publicados = {"ocds-mes": mes, "ocds-registro": registro}
    publicados |= {
        nombre: "\n".join(textos) for nombre, textos in archivos_abiertos(Client()).items()
    }
    publicados["guardadas"] = "\n".join(EntregaOCDS.objects.values_list("entrega", flat=True))
    publicados["cadena"] = json.dumps(
        list(EventoAuditoria.objects.values_list("datos", flat=True)), ensure_ascii=False
    )
    for nombre, texto in publicados.items():
        for forma in (PERSONA_RFC, PERSONA_RFC.lower(), PERSONA_RFC[:4] + PERSONA_RFC[4:10]):
            assert forma not in texto, (nombre, forma)
    assert ocds_validador.errores(json.loads(mes)) == []
