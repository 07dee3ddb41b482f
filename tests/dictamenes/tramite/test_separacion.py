"""Separation of duties is one rule (issue 79, item 3; docs/desarrollo/separacion.md): one
table of cases, people by their relation to a request × every action the rule knows, and
each case checked three ways that must agree: the predicate (access.impedimento), its query
form (access.sin_impedimento, what a list of requests keeps) and, for verifying a
condition's evidence, the «Pendientes» block of the home page (pendientes' query) against
seguimiento's predicate for the same condition.

The request is real: presented by the agency, admitted by «mesa», reviewed by the reviewers
of redes and seguridad, decided by «estrategico», signed by «firmante», with two conditions
waiting for verification (one of redes, one of the Dirección General)."""

import re

import pytest

from dictamenes import exceptions as e
from dictamenes.models import Condicion, Solicitud
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.pendientes import selectors as pendientes
from dictamenes.roles import Rol
from dictamenes.seguimiento.selectors.condiciones import impedimento_para_verificar
from dictamenes.seguimiento.services import condiciones
from dictamenes.senales import services as senales
from dictamenes.tramite.selectors import access
from tests.dictamenes.flujo_utils import PDF_MINIMO, en_firma, firmar, persona, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

A = access
ACCIONES = (
    A.ATENDER,
    A.REVISAR,
    A.DECIDIR,
    A.FIRMAR,
    A.CANCELAR,
    A.RECTIFICAR,
    A.PROPONER,
    A.CANCELAR_SOLICITUD,
    A.VERIFICAR,
    A.VERIFICAR_CONTRATO,
    A.PASAR_A_COMPLETA,
    A.ATENDER_SENAL,
)
SU, ME = e.ERROR_SUPERUSUARIO, e.ERROR_MISMO_ENTE
# Issue 93, item 6: whoever decided the request may not check its contract.
DC = e.ERROR_CONTRATO_DECIDIDO
# Issue 92, item 1: moving a request to the full track is the mesa's, under the same rule.
VS = access.ERROR_VIA_SIN_PERMISO
# Issue 92, item 1: attending a red flag, under the same rule (senales.services asks it).
SE = access.SEPARACION[access.ATENDER_SENAL].mismo_ente
# Who × what they try -> why not (None: they may). One column per action, in ACCIONES' order.
TABLA = {
    # columns: atender revisar decidir firmar cancelar rectificar proponer cancelar_sol. verif.
    # verificar_contrato pasar_a_completa atender_senal
    "superusuario": (SU, SU, SU, SU, SU, SU, SU, SU, SU, SU, SU, SU),
    # Staff of the request's own agency, holding every role of the Dirección General's.
    # Without the mesa's role, the role is what it hears first.
    "del_ente": (ME, ME, ME, ME, ME, ME, ME, e.ERROR_CANCELA_MISMO_ENTE, ME, ME, VS, SE),
    # The requester: no role of the Subsecretaría's, so the role is what it hears first.
    "requirente.sh": (
        ME,
        ME,
        ME,
        ME,
        ME,
        ME,
        e.ERROR_NO_PROPONE,
        e.ERROR_NO_CANCELA,
        ME,
        ME,
        VS,
        SE,
    ),
    # Admitted it: admission bars nothing later.
    "mesa": (
        None,
        None,
        None,
        None,
        None,
        None,
        e.ERROR_NO_PROPONE,
        e.ERROR_NO_CANCELA,
        None,
        None,
        None,
        None,
    ),
    # Reviewed it: may not decide, sign, cancel or rectify.
    "revisor.redes": (
        None,
        None,
        e.ERROR_REVISOR_Y_ESTRATEGICO,
        e.ERROR_FIRMA_REVISOR,
        e.ERROR_DICTAMEN_REVISOR,
        e.ERROR_DICTAMEN_REVISOR,
        e.ERROR_NO_PROPONE,
        e.ERROR_NO_CANCELA,
        None,
        None,
        VS,
        None,
    ),
    # Decided it: may not review it again nor sign, nor check its contract (issue 93); may
    # still propose or cancel it.
    "estrategico": (
        None,
        e.ERROR_ESTRATEGICO_Y_REVISOR,
        None,
        e.ERROR_FIRMA_REVISOR,
        e.ERROR_DICTAMEN_REVISOR,
        e.ERROR_DICTAMEN_REVISOR,
        None,
        None,
        None,
        DC,
        VS,
        None,
    ),
    # Signed it: signing bars nothing that follows.
    "firmante": (
        None,
        None,
        None,
        None,
        None,
        None,
        e.ERROR_NO_PROPONE,
        e.ERROR_NO_CANCELA,
        None,
        None,
        VS,
        None,
    ),
    # The mesa de control's, from the request's agency (issue 92, item 1): its role lets it
    # move the track, its agency does not.
    "mesa_del_ente": (
        ME,
        ME,
        ME,
        ME,
        ME,
        ME,
        e.ERROR_NO_PROPONE,
        e.ERROR_NO_CANCELA,
        ME,
        ME,
        ME,
        SE,
    ),
    # Staff with every role of the Dirección General's and no part in it.
    "ajeno": (None, None, None, None, None, None, None, None, None, None, VS, None),
}
CASOS = [(quien, accion) for quien in TABLA for accion in ACCIONES]

CONDICIONES = (
    "1. Seguridad informática: entregar la matriz de riesgos del firewall.\n"
    "2. Presentar el programa de capacitación del personal.\n"
    "\n"
    "- redes: acreditar el enlace redundante con el proveedor."
)


def _construir():
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    dictamen = firmar(
        en_firma(areas=("redes", "seguridad"), resultado="condicionado", condiciones=CONDICIONES)
    )
    for numero in (2, 3):  # the Dirección General's and redes' conditions wait for verification
        condiciones.condicion_evidencia_subir(
            condicion=dictamen.obligaciones.get(numero=numero),
            usuario=usuario("requirente.sh"),
            archivo=SimpleUploadedFile("e.pdf", PDF_MINIMO, content_type="application/pdf"),
        )
    roles = [Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE]
    persona("ajeno", roles=roles, rfc="AJEX800101AB1")
    del_ente = persona("del_ente", roles=roles, rfc="DELX800101AB1")
    mesa_del_ente = persona("mesa_del_ente", roles=[Rol.MESA_CONTROL], rfc="MDEX800101AB1")
    # Staff who came from the agency: the profile says so whatever the roles say.
    for suya in (del_ente, mesa_del_ente):
        suya.perfil.ente_id = dictamen.solicitud.ente_id
        suya.perfil.save(update_fields=["ente"])
    get_user_model().objects.create_superuser("super", "super@demo.invalid", "x" * 14)
    return dictamen


dictamen_del_modulo = por_modulo(_construir)


@pytest.fixture
def solicitud(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo).solicitud


def quien(nombre):
    return usuario("super" if nombre == "superusuario" else nombre)


def test_la_tabla_cubre_a_cada_implicado_y_cada_accion(solicitud):
    """The people of the table are those the request names: reviewers, decider, signer."""
    from dictamenes.separacion.implicados import decisores_de, revisores_de

    assert {usuario(n).pk for n in ("revisor.redes", "revisor.seguridad")} == revisores_de(
        solicitud=solicitud
    )
    assert decisores_de(solicitud=solicitud) == {usuario("estrategico").pk}
    assert set(ACCIONES) == set(access.SEPARACION)
    assert all(len(fila) == len(ACCIONES) for fila in TABLA.values())


@pytest.mark.parametrize(("nombre", "accion"), CASOS)
def test_el_predicado_y_su_consulta_dicen_lo_de_la_tabla(solicitud, nombre, accion):
    persona_ = quien(nombre)
    esperado = TABLA[nombre][ACCIONES.index(accion)]
    assert access.impedimento(usuario=persona_, solicitud=solicitud, accion=accion) == esperado
    dejadas = Solicitud.objects.filter(
        access.sin_impedimento(usuario=persona_, accion=accion)
    ).values_list("pk", flat=True)
    assert (solicitud.pk in dejadas) == (esperado is None), "la consulta no dice lo del predicado"


@pytest.mark.parametrize("nombre", list(TABLA))
def test_pendientes_lista_la_evidencia_que_el_predicado_deja_verificar(solicitud, nombre):
    persona_ = quien(nombre)
    en_verificacion = Condicion.objects.filter(
        dictamen__solicitud=solicitud, estado=Condicion.Estado.EN_VERIFICACION
    ).select_related("dictamen__solicitud", "area")
    assert sorted(c.numero for c in en_verificacion) == [2, 3]
    permitidas = {
        c.numero
        for c in en_verificacion
        if impedimento_para_verificar(usuario=persona_, condicion=c) is None
    }
    grupo = pendientes._evidencias_por_verificar(usuario=persona_, roles=roles_de(usuario=persona_))
    listadas = (
        {int(re.search(r"#condicion-(\d+)$", x.url).group(1)) for x in grupo.entradas}
        if grupo
        else set()
    )
    assert listadas == permitidas
    # Whom the rule lets through still needs the condition's own role: its area or the DG.
    assert permitidas == {
        "revisor.redes": {3},
        "estrategico": {2},
        "ajeno": {2},
    }.get(nombre, set())


@pytest.mark.parametrize("nombre", list(TABLA))
def test_la_puerta_de_las_senales_dice_lo_de_la_tabla(solicitud, nombre):
    """Attending a red flag (issue 92, item 1): the one answer of the sign's page and door
    (senales.services.impedimento_atender) refuses whom the table's column refuses, in its
    words; past the rule, only the role that decides at the request's step records it (the
    strategic review once the dictamen is signed: «estrategico» and «ajeno» hold it)."""
    persona_ = quien(nombre)
    esperado = TABLA[nombre][ACCIONES.index(A.ATENDER_SENAL)]
    if esperado is None and nombre not in ("estrategico", "ajeno"):
        esperado = senales.ERROR_NO_DECIDE % {"rol": Rol.REVISOR_ESTRATEGICO.label}
    assert senales.impedimento_atender(usuario=persona_, solicitud=solicitud) == esperado
