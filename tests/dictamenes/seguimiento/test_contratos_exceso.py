"""A contract over the approved total (issue 61): it is not saved without the agency's reason;
the form says, while the amount is typed, what the running total would be against what the
dictamen approved; the signal reaches the signers and the administrators as well as the
strategic reviewers, by e-mail and on their homes.

The dictamen of this module approves its one item whole: 2 × $10,000.00 = $20,000.00
(tests.dictamenes.flujo_utils.borrador)."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from dictamenes.models import Aviso, Contrato, EventoAuditoria
from dictamenes.models.contratos import excede_lo_aprobado
from dictamenes.seguimiento.services import contratos
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

APROBADO = Decimal("20000.00")
MOTIVO = "El único proveedor con soporte en el estado subió su precio de lista."
SIN_MOTIVO = (
    "Con este contrato el total contratado bajo el dictamen ({total}) pasa de lo que aprobó "
    "($20,000.00): escriba el motivo para contratar más de lo aprobado. No se guardó nada."
)

dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def registrar(dictamen, *, numero="SH-001", monto="15000.00", motivo=""):
    return contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero=numero,
        proveedor="Cómputo del Noroeste, S.A. de C.V.",
        fecha=timezone.localdate(),
        monto=Decimal(monto),
        motivo_exceso=motivo,
    )


def _datos(**cambios):
    return {
        "contrato-numero": "SH-2026-061",
        "contrato-proveedor": "Redes del Pacífico",
        "contrato-fecha": timezone.localdate().isoformat(),
        "contrato-monto": "21000.00",
        "contrato-motivo_exceso": "",
    } | cambios


# --- The rule --------------------------------------------------------------------------------


@given(
    contratado=st.integers(min_value=0, max_value=10**12),
    monto=st.integers(min_value=1, max_value=10**12),
    # Mostly a few cents either side of the running total: where a flipped comparison shows.
    holgura=st.integers(min_value=-3, max_value=3)
    | st.integers(min_value=-(10**12), max_value=10**12),
)
def test_la_regla_en_centavos(contratado, monto, holgura):
    """Independent oracle: whole cents compared as integers; equal to the total is within."""
    aprobado = max(contratado + monto + holgura, 0)
    centavos = Decimal("0.01")
    assert excede_lo_aprobado(
        contratado=contratado * centavos, monto=monto * centavos, aprobado=aprobado * centavos
    ) is (contratado + monto > aprobado)


# --- The service -----------------------------------------------------------------------------


def test_sobre_lo_aprobado_sin_motivo_no_se_guarda_nada(dictamen):
    registrar(dictamen, numero="SH-001", monto="15000.00")
    for motivo in ("", "   \n\t "):
        with pytest.raises(ValidationError) as error:
            registrar(dictamen, numero="SH-002", monto="6000.00", motivo=motivo)
        assert error.value.message_dict == {
            "motivo_exceso": [SIN_MOTIVO.format(total="$21,000.00")]
        }
    assert list(Contrato.objects.values_list("numero", flat=True)) == ["SH-001"]
    assert EventoAuditoria.objects.filter(tipo="contrato_registrado").count() == 1
    assert not Aviso.objects.filter(asunto__contains="Contrato señalado").exists()


def test_igual_a_lo_aprobado_pasa_sin_motivo_y_un_centavo_mas_lo_pide(dictamen):
    justo = registrar(dictamen, numero="SH-001", monto="20000.00")
    assert (justo.excede_monto, justo.motivo_exceso) == (False, "")
    with pytest.raises(ValidationError) as error:
        registrar(dictamen, numero="SH-002", monto="0.01")
    assert error.value.message_dict == {"motivo_exceso": [SIN_MOTIVO.format(total="$20,000.01")]}


def test_con_motivo_se_guarda_se_audita_y_se_avisa(dictamen):
    contrato = registrar(dictamen, monto="21000.00", motivo=f"  {MOTIVO}  ")
    contrato.refresh_from_db()
    assert (contrato.excede_monto, contrato.motivo_exceso) == (True, MOTIVO)
    evento = EventoAuditoria.objects.get(tipo="contrato_registrado")
    assert evento.motivo == MOTIVO
    assert evento.datos["motivo_exceso"] == MOTIVO
    assert evento.descripcion == (
        f"Contrato SH-001 registrado bajo el dictamen {dictamen.folio} por más de lo aprobado"
    )
    aviso = Aviso.objects.get(asunto=f"Contrato señalado bajo el dictamen {dictamen.folio}")
    assert MOTIVO in aviso.mensaje and MOTIVO in aviso.html


def test_bajo_lo_aprobado_no_se_guarda_un_motivo(dictamen):
    contrato = registrar(dictamen, monto="5000.00", motivo=MOTIVO)
    contrato.refresh_from_db()
    assert contrato.motivo_exceso == ""
    assert EventoAuditoria.objects.get(tipo="contrato_registrado").motivo == ""


def test_el_motivo_no_lleva_datos_personales(dictamen):
    with pytest.raises(ValidationError) as error:
        registrar(dictamen, monto="21000.00", motivo="Lo explica ana.mendez@sh.gob.mx")
    assert list(error.value.message_dict) == ["motivo_exceso"]
    assert not Contrato.objects.exists()


def test_el_aviso_llega_al_estrategico_al_firmante_y_a_los_administradores(dictamen):
    registrar(dictamen, monto="21000.00", motivo=MOTIVO)
    (aviso,) = Aviso.objects.filter(asunto__contains="Contrato señalado")
    # Oracle: the holders of the three roles (or a superuser), from the user table.
    esperados = sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(groups__name__in=["Revisor estratégico", "Firmante", "Administrador"])
                | Q(is_superuser=True)
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    assert sorted(aviso.destinatarios) == esperados
    for quien in ("estrategico", "firmante", "admin"):
        assert usuario(quien).email in aviso.destinatarios
    for quien in ("requirente.sh", "auditor", "mesa"):
        assert usuario(quien).email not in aviso.destinatarios


# --- The page --------------------------------------------------------------------------------


def test_la_revision_en_vivo_dice_el_total_contra_lo_aprobado(dictamen, client):
    registrar(dictamen, numero="SH-001", monto="5000.00")
    entrar(client, "requirente.sh")
    url = reverse("solicitudes:contrato_revisar", args=[dictamen.solicitud_id, dictamen.pk])

    def revisar(monto):
        respuesta = client.post(url, {"contrato-monto": monto})
        assert respuesta.status_code == 200
        return " ".join(respuesta.content.decode().split())

    sobre = revisar("15000.01")
    assert 'data-excede="si"' in sobre
    assert (
        "Pasa de lo aprobado.</strong> Con $15,000.01, el total contratado bajo el dictamen "
        "sería $20,000.01, más que los $20,000.00 que aprobó."
    ) in sobre
    justo = revisar("15000.00")
    assert 'data-excede="no"' in justo and "excede" not in justo.replace('data-excede="no"', "")
    assert "sería $20,000.00, dentro de los $20,000.00 que aprobó." in justo
    for ilegible in ("", "abc", "１０００", "-5"):
        assert revisar(ilegible) == ""
    assert Contrato.objects.count() == 1  # it saves nothing


@pytest.mark.parametrize("quien", ["requirente.rc", "estrategico", "auditor"])
def test_la_revision_en_vivo_es_solo_del_requirente_del_ente(dictamen, client, quien):
    entrar(client, quien)
    url = reverse("solicitudes:contrato_revisar", args=[dictamen.solicitud_id, dictamen.pk])
    assert client.post(url, {"contrato-monto": "1"}).status_code == 404


def _abierto(html: str) -> bool:
    etiqueta = re.search(r'<details class="accion" id="registrar-contrato"[^>]*>', html)
    assert etiqueta, "no está el formulario del contrato"
    return " open" in etiqueta.group(0)


def _ficha(html: str) -> list[str]:
    ficha = re.search(r'<dl class="ficha contrato-tope".*?</dl>', html, re.S).group(0)
    return re.findall(r"<dd>(.*?)</dd>", ficha)


def test_el_formulario_esta_abierto_cuando_toca_y_dice_lo_que_queda(dictamen, client):
    entrar(client, "requirente.sh")
    detalle = reverse("solicitudes:detalle", args=[dictamen.solicitud_id])
    html = client.get(detalle).content.decode()
    assert _abierto(html)  # favourable, valid, no contract yet
    assert _ficha(html) == ["$20,000.00", "$0.00", "$20,000.00"]
    registrar(dictamen, monto="15000.00")
    html = client.get(detalle).content.decode()
    assert not _abierto(html)  # one is recorded: the form stays at hand, closed
    assert _ficha(html) == ["$20,000.00", "$15,000.00", "$5,000.00"]


def test_sin_motivo_la_pagina_lo_pide_junto_al_campo_y_conserva_lo_escrito(dictamen, client):
    entrar(client, "requirente.sh")
    url = reverse("solicitudes:contrato", args=[dictamen.solicitud_id, dictamen.pk])
    respuesta = client.post(url, _datos())
    html = respuesta.content.decode()
    assert respuesta.status_code == 400
    error = re.search(r'id="id_contrato-motivo_exceso_error">(.*?)</span>', html)
    assert error and error.group(1) == SIN_MOTIVO.format(total="$21,000.00")
    for escrito in ('value="SH-2026-061"', 'value="Redes del Pacífico"', 'value="21000.00"'):
        assert escrito in html
    assert _abierto(html)
    assert 'data-excede="si"' in html  # the warning is there without JavaScript too
    assert not Contrato.objects.exists()

    respuesta = client.post(url, _datos(**{"contrato-motivo_exceso": MOTIVO}), follow=True)
    html = respuesta.content.decode()
    assert f"Contrato SH-2026-061 registrado bajo el dictamen {dictamen.folio}." in html
    assert f"Motivo para contratar más de lo aprobado: {MOTIVO}" in html
    # The history says it too, with the reason beside the event (the history PDF reads the
    # same event's motivo).
    assert (
        f"<strong>Contrato SH-2026-061 registrado bajo el dictamen {dictamen.folio} por más de "
        f'lo aprobado</strong> · Ana Laura Méndez Ruiz<div class="motivo">{MOTIVO}</div>'
    ) in html
    client.logout()
    entrar(client, "estrategico")
    lista = client.get(reverse("planeacion:contratos")).content.decode()
    assert f"Motivo del ente para contratar más de lo aprobado: {MOTIVO}" in lista


# --- The homes -------------------------------------------------------------------------------


@pytest.mark.parametrize("quien", ["firmante", "admin", "estrategico", "auditor"])
def test_el_inicio_de_quien_debe_saberlo_muestra_los_senalados(dictamen, client, quien):
    registrar(dictamen, monto="21000.00", motivo=MOTIVO)
    entrar(client, quien)
    html = client.get(reverse("inicio")).content.decode()
    seccion = re.search(r'<section class="aviso" id="contratos-senalados".*?</section>', html, re.S)
    assert seccion, f"{quien} no ve los contratos señalados"
    texto = " ".join(re.sub(r"<[^>]+>", " ", seccion.group(0)).split())
    assert texto.startswith("1 contrato señalado en los últimos 30 días")
    assert f"{dictamen.folio} · SH-001" in texto
    assert "Total sobre lo aprobado." in texto and MOTIVO in texto
    assert f'href="{reverse("planeacion:contratos")}">Contratos señalados</a>' in html


@pytest.mark.parametrize("quien", ["requirente.sh", "mesa", "revisor.redes"])
def test_el_inicio_de_los_demas_no_los_muestra(dictamen, client, quien):
    registrar(dictamen, monto="21000.00", motivo=MOTIVO)
    entrar(client, quien)
    assert 'id="contratos-senalados"' not in client.get(reverse("inicio")).content.decode()


def test_el_inicio_lee_los_senalados_en_consultas_acotadas(dictamen, client):
    entrar(client, "admin")

    def consultas():
        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(reverse("inicio")).status_code == 200
        return len(capturadas)

    registrar(dictamen, numero="SH-001", monto="21000.00", motivo=MOTIVO)
    consultas()  # the first one fills the caches (the institution's texts, the areas)
    con_uno = consultas()
    for n in range(2, 9):
        registrar(dictamen, numero=f"SH-00{n}", monto="1.00", motivo=MOTIVO)
    html = client.get(reverse("inicio")).content.decode()
    assert "8 contratos señalados en los últimos 30 días" in html
    assert html.count(f"{dictamen.folio} · SH-00") == 5  # the newest five, then the link
    assert consultas() == con_uno


def test_el_panel_de_los_senalados_se_lee_una_vez_por_version_de_los_datos(dictamen, client):
    """Read again with nothing changed, the panel asks nothing of the contracts; a contract
    recorded (its door writes an event), the very next visit counts it."""
    entrar(client, "estrategico")
    registrar(dictamen, numero="SH-001", monto="21000.00", motivo=MOTIVO)
    assert "1 contrato señalado" in client.get(reverse("inicio")).content.decode()
    with CaptureQueriesContext(connection) as capturadas:
        assert client.get(reverse("inicio")).status_code == 200
    assert not any('"dictamenes_contrato"' in q["sql"] for q in capturadas), capturadas
    registrar(dictamen, numero="SH-002", monto="1.00", motivo=MOTIVO)
    assert "2 contratos señalados" in client.get(reverse("inicio")).content.decode()


# --- Every writer of a contract goes through the service ----------------------------------------


def test_solo_el_servicio_crea_contratos():
    """The paths that could write a contract (issue 61: the page, the admin, the API, the
    commands, the importers, the demo): the admin does not register it, the only page or API
    operation that writes it is the request page's form (and, issue 76, the strategic
    reviewer's authorisation and the check against its document, which change one), and in the
    code only seguimiento.services.contratos builds one (the demo and the page call it)."""
    import ast
    from pathlib import Path

    from django.contrib import admin

    from config.escritores import PAGINAS

    assert Contrato not in admin.site._registry
    assert [n for n, (modelos, _) in PAGINAS.items() if "dictamenes.Contrato" in modelos] == [
        "solicitudes:contrato",
        "planeacion:contrato_autorizar",
        "planeacion:contrato_verificar",
    ]
    raiz = Path(__file__).resolve().parents[3]
    escritoras = {"create", "bulk_create", "get_or_create", "update_or_create", "update"}
    donde = []
    for paquete in ("config", "cuentas", "publico", "flujos", "dictamenes", "estandares", "demo"):
        for archivo in (raiz / paquete).rglob("*.py"):
            if "migrations" in archivo.parts:
                continue
            for nodo in ast.walk(ast.parse(archivo.read_text(encoding="utf-8"))):
                if not isinstance(nodo, ast.Call):
                    continue
                f = nodo.func
                construye = isinstance(f, ast.Name) and f.id == "Contrato"
                escribe = (
                    isinstance(f, ast.Attribute)
                    and f.attr in escritoras
                    and "contrato" in ast.unparse(f.value).lower()
                )
                if construye or escribe:
                    donde.append(str(archivo.relative_to(raiz)))
    # Issue 80: the bench's history with planted signs writes its contracts in bulk, as the
    # generator writes every other row of the history; no production code imports the demo
    # (import-linter), so no person reaches it.
    assert sorted(donde) == [
        "demo/historico/plantas.py",
        "dictamenes/seguimiento/services/contratos.py",
    ]
