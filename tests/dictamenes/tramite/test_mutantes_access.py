"""Who may attend a step (access.puede_atender), where the mutation run (issue 92, item 3)
found no test that reads its answer: the inbox offers a step only to whom this says yes. A
step of the Subsecretaría's (admisión) is barred to anyone of the request's agency and to a
superuser; anyone else may attend it. The step's role is viewflow's to check, not this."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from dictamenes import exceptions as e
from dictamenes.flow_port import Nodo
from dictamenes.models import Solicitud
from dictamenes.tramite.selectors import access

SOLICITUD = SimpleNamespace(pk=1, ente_id=7)


def _persona(*, ente_id=None, superusuario=False):
    return SimpleNamespace(
        pk=50,
        is_superuser=superusuario,
        perfil=SimpleNamespace(ente_id=ente_id),
        has_perm=lambda permiso: True,
    )


def _paso(nombre):
    return SimpleNamespace(flow_task=SimpleNamespace(name=nombre))


@pytest.mark.parametrize(
    ("persona", "puede"),
    [
        (_persona(), True),  # the Subsecretaría's staff: no agency
        (_persona(ente_id=8), True),  # another agency's
        (_persona(ente_id=7), False),  # the request's agency
        (_persona(superusuario=True), False),
    ],
)
def test_atender_la_admision_lo_puede_quien_no_es_del_ente_ni_superusuario(persona, puede):
    paso = _paso(Nodo.ADMISION)
    assert access.puede_atender(usuario=persona, tarea=paso, solicitud=SOLICITUD) is puede


def test_subsanar_es_del_ente_y_solo_un_superusuario_no_lo_atiende():
    paso = _paso(Nodo.SUBSANAR)
    del_ente = _persona(ente_id=7)
    assert access.puede_atender(usuario=del_ente, tarea=paso, solicitud=SOLICITUD) is True
    superusuario = _persona(superusuario=True)
    assert access.puede_atender(usuario=superusuario, tarea=paso, solicitud=SOLICITUD) is False


@pytest.mark.parametrize(
    ("paso", "accion"),
    [
        (Nodo.ADMISION, access.ATENDER),
        (Nodo.REVISION_TECNICA, access.REVISAR),
        (Nodo.RE_REVISION, access.REVISAR),
        (Nodo.REVISION_ESTRATEGICA, access.DECIDIR),
        (Nodo.FIRMA, access.FIRMAR),
        (Nodo.SUBSANAR, None),
    ],
)
def test_cada_paso_del_flujo_es_la_accion_de_la_tabla_que_lo_separa(paso, accion):
    # A technical reviewer may not decide the same request, nor sign it: the step's action is
    # what picks the row of the separation table that applies.
    assert access.accion_de_paso(paso) == accion


# --- Who reviewed and who decided, as the inbox passes them (issue 92, item 3) ---------------


@pytest.mark.parametrize(
    ("paso", "implicados", "error"),
    [
        # Reviewed it: may not sign it.
        (Nodo.FIRMA, {"revisores": {50}, "decisores": set()}, e.ERROR_FIRMA_REVISOR),
        # Decided it: may not sign it, nor review it again.
        (Nodo.FIRMA, {"revisores": set(), "decisores": {50}}, e.ERROR_FIRMA_REVISOR),
        (Nodo.RE_REVISION, {"revisores": set(), "decisores": {50}}, e.ERROR_ESTRATEGICO_Y_REVISOR),
        # Reviewed it: may not decide it.
        (
            Nodo.REVISION_ESTRATEGICA,
            {"revisores": {50}, "decisores": set()},
            e.ERROR_REVISOR_Y_ESTRATEGICO,
        ),
    ],
)
def test_el_paso_se_niega_a_quien_la_bandeja_leyo_como_revisor_o_decisor(paso, implicados, error):
    """The inbox reads who reviewed and who decided once for all its rows and passes them: the
    answer comes from those, without reading the request's history again for every row (no
    database here: a row that read it would fail)."""
    persona = _persona(ente_id=8)
    tarea = _paso(paso)
    assert access.impedimento_de(
        usuario=persona, tarea=tarea, solicitud=SOLICITUD, **implicados
    ) == (error)
    assert access.puede_atender(
        usuario=persona, tarea=tarea, solicitud=SOLICITUD, **implicados
    ) is (False)
    libres = {"revisores": set(), "decisores": set()}
    assert access.puede_atender(usuario=persona, tarea=tarea, solicitud=SOLICITUD, **libres) is True


# --- The role of a step, whoever holds it (access.tiene_rol_de) ------------------------------


def _tareas(solicitud, nombre):
    from viewflow.workflow.models import Task

    from dictamenes import flow_port

    return Task.objects.filter(
        process_id=solicitud.proceso.pk, flow_task=getattr(flow_port.flujo(), nombre)
    )


@pytest.mark.django_db
def test_el_rol_de_una_revision_es_de_los_revisores_de_su_area_aunque_alguien_ya_la_tenga(demo):
    """A technical review is its area's: the reviewers of computo hold its role, the reviewers
    of redes and the mesa do not, and the role stays theirs once one of them took it (the
    request's page offers a reassignment to whom holds the role: tareas.tarea_reasignar)."""
    from dictamenes.models import Area
    from tests.dictamenes.flujo_utils import admitida, usuario

    solicitud = admitida(areas=("computo", "redes"))
    computo = Area.objects.get(clave="computo").pk
    (tarea,) = [t for t in _tareas(solicitud, Nodo.REVISION_TECNICA) if t.data["area"] == computo]
    quien = {n: usuario(n) for n in ("revisor.computo", "revisor.redes", "mesa")}
    esperado = {"revisor.computo": True, "revisor.redes": False, "mesa": False}
    assert {n: access.tiene_rol_de(usuario=u, tarea=tarea) for n, u in quien.items()} == esperado
    tarea.owner = quien["revisor.computo"]
    tarea.save(update_fields=["owner"])
    assert {n: access.tiene_rol_de(usuario=u, tarea=tarea) for n, u in quien.items()} == esperado


@pytest.mark.django_db
def test_el_rol_de_subsanar_es_de_los_requirentes_del_ente_de_la_solicitud(demo):
    """Answering a prevención is the requesting agency's: its requirente holds the role (over
    its agency, read from the request's process), another agency's requirente and the mesa do
    not."""
    from dictamenes.tramite.services import etapas
    from tests.dictamenes.flujo_utils import presentada, usuario

    solicitud = presentada()
    etapas.admision_resolver(
        solicitud=solicitud,
        usuario=usuario("mesa"),
        admitir=False,
        faltantes="Falta el oficio firmado por el titular.",
    )
    (tarea,) = _tareas(solicitud, Nodo.SUBSANAR)
    assert {
        n: access.tiene_rol_de(usuario=usuario(n), tarea=tarea)
        for n in ("requirente.sh", "requirente.rc", "mesa")
    } == {"requirente.sh": True, "requirente.rc": False, "mesa": False}


# --- The requests a person may see (access.solicitudes_visibles) -----------------------------


@pytest.mark.django_db
def test_cada_quien_ve_las_solicitudes_de_su_ente_y_la_subsecretaria_todas(demo):
    """The list of requests (page and API): a requirente sees its agency's only; the mesa
    (the Subsecretaría's staff) sees every agency's; nobody signed in sees none."""
    from django.contrib.auth.models import AnonymousUser

    from tests.dictamenes.flujo_utils import borrador, usuario

    de_sh = borrador(requirente="requirente.sh").pk
    de_rc = borrador(requirente="requirente.rc").pk

    def ve(persona):
        return set(access.solicitudes_visibles(usuario=persona).values_list("pk", flat=True))

    assert ve(usuario("requirente.sh")) == {de_sh}
    assert ve(usuario("requirente.rc")) == {de_rc}
    assert ve(usuario("mesa")) == {de_sh, de_rc}
    assert ve(AnonymousUser()) == set()


# --- The public register, newest first (access.dictamenes_publicos) --------------------------


@pytest.mark.django_db
def test_el_registro_publico_lista_primero_el_ultimo_emitido_y_en_empate_el_ultimo_guardado(demo):
    """Newest first by the time of issue, not by the order rows were saved (a dictamen saved
    later may carry an earlier time: a rectification's original, an imported history); two
    issued at the same instant, the one saved last first, the same on every page of the
    list."""
    import datetime

    from django.utils import timezone

    from dictamenes.models import Dictamen
    from tests.dictamenes.flujo_utils import borrador, usuario

    instante = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))

    def emitido(folio, en):
        return Dictamen.objects.create(
            solicitud=borrador(),  # one dictamen in force per request
            folio=folio,
            resultado="favorable",
            motivos="Cumple.",
            vigencia_hasta=datetime.date(2027, 3, 2),
            firmado_por=usuario("firmante"),
            firmante_nombre="Firmante",
            firmante_cargo="Titular",
            emitido_en=en,
            certificado_rfc="FIRX800101AB1",
            pdf_sha256="0" * 64,
        ).pk

    tarde = emitido("DG-1", instante)
    temprano = emitido("DG-2", instante - datetime.timedelta(days=1))
    empate = emitido("DG-3", instante)
    mios = access.dictamenes_publicos().filter(pk__in=[tarde, temprano, empate])
    assert list(mios.values_list("pk", flat=True)) == [empate, tarde, temprano]


# --- One request's page (access.solicitud_para) ----------------------------------------------


@pytest.mark.django_db
def test_la_pagina_de_una_solicitud_es_404_para_quien_no_es_de_su_ente(
    demo, django_assert_num_queries
):
    """The same 404 for a request of another agency and for one that does not exist (Zulip's
    access_*): a requirente reads its own agency's only, the mesa every one; nobody signed in
    gets the 404 without the request being read."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from tests.dictamenes.flujo_utils import borrador, usuario

    de_sh = borrador(requirente="requirente.sh").pk
    assert access.solicitud_para(usuario=usuario("requirente.sh"), pk=de_sh).pk == de_sh
    assert access.solicitud_para(usuario=usuario("mesa"), pk=str(de_sh)).pk == de_sh
    for quien, pk in (("requirente.rc", de_sh), ("requirente.sh", de_sh + 1000)):
        with pytest.raises(Http404):
            access.solicitud_para(usuario=usuario(quien), pk=pk)
    with pytest.raises(Http404):
        access.solicitud_para(usuario=usuario("mesa"), pk=de_sh + 1000)
    with django_assert_num_queries(0), pytest.raises(Http404):
        access.solicitud_para(usuario=AnonymousUser(), pk=de_sh)


@pytest.mark.django_db
def test_toma_una_revision_quien_tiene_su_rol_o_suple_hoy_a_quien_lo_tiene_y_nunca_un_superusuario(
    demo,
):
    """Taking a step (access.puede_tomar): its area's reviewer; a reviewer of another area only
    on the days they stand in for them (a Sustitucion covering today); never a superuser,
    whom Django would let take any task."""
    import datetime

    from django.utils import timezone

    from dictamenes.models import Area, Sustitucion
    from tests.dictamenes.flujo_utils import admitida, usuario

    solicitud = admitida(areas=("computo",))
    computo = Area.objects.get(clave="computo").pk
    (tarea,) = [t for t in _tareas(solicitud, Nodo.REVISION_TECNICA) if t.data["area"] == computo]
    redes = usuario("revisor.redes")
    superusuario = get_user_model().objects.create_superuser("su", "su@demo.invalid", "x" * 14)
    assert access.puede_tomar(usuario=usuario("revisor.computo"), tarea=tarea) is True
    assert access.puede_tomar(usuario=redes, tarea=tarea) is False
    assert access.puede_tomar(usuario=superusuario, tarea=tarea) is False
    hoy = timezone.localdate()
    ayer = hoy - datetime.timedelta(days=1)
    Sustitucion.objects.create(
        titular=usuario("revisor.computo"), suplente=redes, desde=ayer - ayer.resolution, hasta=ayer
    )
    assert access.puede_tomar(usuario=redes, tarea=tarea) is False
    Sustitucion.objects.create(
        titular=usuario("revisor.computo"), suplente=redes, desde=hoy, hasta=hoy
    )
    assert access.puede_tomar(usuario=redes, tarea=tarea) is True


# Separation of duties as a query (separacion/regla.py, sin_impedimento): an account with no
# profile (one made in the Django admin: no agency, no RFC) is barred from nothing for an agency,
# and the lists keep the requests of every agency for it.
@pytest.mark.django_db
@pytest.mark.parametrize("accion", [access.ATENDER, access.DECIDIR, access.VERIFICAR_CONTRATO])
def test_una_cuenta_sin_perfil_no_es_de_ningun_ente_y_la_lista_deja_sus_solicitudes(demo, accion):
    from tests.dictamenes.flujo_utils import borrador

    de_sh, de_rc = borrador(requirente="requirente.sh"), borrador(requirente="requirente.rc")
    sin_perfil = get_user_model().objects.create_user("sin.perfil", "sin.perfil@demo.invalid")
    assert not hasattr(sin_perfil, "perfil")
    for solicitud in (de_sh, de_rc):
        assert access.impedimento(usuario=sin_perfil, solicitud=solicitud, accion=accion) is None
    dejadas = Solicitud.objects.filter(access.sin_impedimento(usuario=sin_perfil, accion=accion))
    assert set(dejadas.values_list("pk", flat=True)) == {de_sh.pk, de_rc.pk}
