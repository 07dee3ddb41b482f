import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from dictamenes.models import Area, CambioPendiente, Ente
from dictamenes.organizacion.selectors import usuarios
from dictamenes.roles import Rol
from tests.conftest import entrar
from tests.por_modulo import por_modulo

pytestmark = pytest.mark.django_db

ENTES_DEL_DOMINIO = {
    "SH",
    "RC",
    "ICRESON",
    "ISSSTESON",
    "ICEES",
    "SSALUD",
    "SEC",
    "SAGARHPA",
    "SSP",
    "SECOG",
    "CJ",
    "CEMERSON",
    "IMTES",
    "C5I",
    "TRS",
    "OM",
}


def cuenta():
    return (
        Ente.objects.count(),
        Area.objects.count(),
        get_user_model().objects.count(),
        sum(u.groups.count() for u in get_user_model().objects.all()),
    )


def test_crea_un_usuario_por_rol_las_areas_y_los_entes(demo):
    assert set(Ente.objects.values_list("siglas", flat=True)) == ENTES_DEL_DOMINIO
    assert Area.objects.count() == 5

    roles_cubiertos = set()
    for usuario in get_user_model().objects.prefetch_related("groups"):
        roles_cubiertos.update(usuarios.roles_de(usuario=usuario))
    assert roles_cubiertos == set(Rol)

    # Every review area has at least one technical reviewer.
    assert not Area.objects.filter(personal__isnull=True).exists()


def _cargar() -> tuple:
    """cargar_demo over the catalogues every test database has: what it counted before."""
    antes = cuenta()
    call_command("cargar_demo")
    return antes


# The whole demonstration (its requests through the procedure, signed dictámenes): 30 to 45 s,
# which each of the two tests below paid for the same load. Loaded once for the module; each
# test rolls back to it (tests/por_modulo.py).
demo_del_modulo = por_modulo(_cargar)


def test_es_idempotente(demo_del_modulo):
    assert cuenta() == demo_del_modulo


def test_las_contrasenas_demo_funcionan(demo, client, contrasena_demo):
    assert entrar(client, "firmante", contrasena_demo).url == "/"


def test_se_niega_si_el_entorno_no_permite_demo(settings, db):
    from dictamenes.models import Solicitud

    # On a database without the demo (the test database has its catalogues from the start).
    get_user_model().objects.all().delete()
    settings.DICTAMENES_PERMITIR_DEMO = False
    with pytest.raises(CommandError, match="contraseñas públicas"):
        call_command("cargar_demo")
    assert not get_user_model().objects.exists()
    assert not Solicitud.objects.exists()


def _cada_senal_y_la_entrega(client):
    """Issue 80: the demo shows at least one request with each sign of the catalogue, and a
    delivery recorded after the contract on the request page and in its OCDS record."""
    from django.db.models import Count
    from django.urls import reverse

    from dictamenes.models import Entrega, Senal
    from dictamenes.models.senales import CodigoSenal
    from publico.ocds.entregas import ocid_de

    por_codigo = dict(
        Senal.objects.filter(vigente=True).values_list("codigo").annotate(n=Count("id"))
    )
    assert {c for c in CodigoSenal.values if not por_codigo.get(c)} == set()
    # Each delivery sign on the delivery it reads; the one on time and complete has none.
    entregas = {
        e.contrato.numero: e
        for e in Entrega.objects.select_related("contrato__dictamen__solicitud", "anexo")
    }
    assert len(entregas) == 4
    de_la_solicitud = {
        numero: set(
            e.contrato.dictamen.solicitud.senales.filter(
                vigente=True, codigo__startswith="entrega"
            ).values_list("codigo", flat=True)
        )
        | set(
            e.contrato.dictamen.solicitud.senales.filter(
                vigente=True, codigo="pago_excede"
            ).values_list("codigo", flat=True)
        )
        for numero, e in entregas.items()
    }
    assert sorted(de_la_solicitud.values(), key=sorted) == [
        set(),
        set(),
        {"entrega_distinta"},
        {"pago_excede"},
    ]
    a_tiempo = entregas["SH-DGA-CTO-2026-041"]
    assert de_la_solicitud["SH-DGA-CTO-2026-041"] == set()
    solicitud = a_tiempo.contrato.dictamen.solicitud
    client.force_login(get_user_model().objects.get(username="requirente.sh"))
    pagina = client.get(reverse("solicitudes:detalle", args=[solicitud.pk])).content.decode()
    assert "Acta de entrega-recepción" in pagina
    assert a_tiempo.fecha.strftime("%d/%m/%Y") in pagina
    client.logout()
    registro = client.get(reverse("ocds_registro", args=[ocid_de(solicitud.folio)])).json()
    (contrato,) = registro["records"][0]["compiledRelease"]["contracts"]
    (pago,) = contrato["implementation"]["transactions"]
    assert pago["value"] == {"amount": float(a_tiempo.monto_pagado), "currency": "MXN"}
    (acta,) = contrato["implementation"]["documents"]
    assert a_tiempo.anexo.sha256 in str(acta)


def test_la_demostracion_tiene_solicitudes_en_cada_estado_y_resultado(demo_del_modulo, client):
    from dictamenes.models import Solicitud

    _cada_senal_y_la_entrega(client)
    estados = set(Solicitud.objects.values_list("estado", flat=True))
    assert estados == set(Solicitud.Estado.values)
    resultados = set(
        Solicitud.objects.filter(estado="dictaminada").values_list("resultado", flat=True)
    )
    assert resultados == {"favorable", "condicionado", "no_favorable"}
    # Issue 36: one request went through the fast track, with a single technical review, and
    # one has its items decided three ways, so the savings and the reasons have data.
    from dictamenes.models import DecisionPartida

    rapida = Solicitud.objects.get(via="rapida", estado="dictaminada")
    assert rapida.revisiones.count() == 1
    revisiones = rapida.proceso.task_set.filter(flow_task_type="HUMAN", data__etapa="revision_area")
    assert [t.data.get("via") for t in revisiones] == ["rapida"]
    mezcladas = Solicitud.objects.filter(estado="dictaminada", partidas__decision__isnull=False)
    por_solicitud = {}
    for s_pk, resultado, motivo in DecisionPartida.objects.filter(
        partida__solicitud__in=mezcladas
    ).values_list("partida__solicitud", "resultado", "motivo__clave"):
        por_solicitud.setdefault(s_pk, set()).add((resultado, motivo))
    assert {
        ("aprobada", None),
        ("reducida", "sobredimensionada"),
        ("no_aprobada", "duplicidad"),
    } in por_solicitud.values()
    # The indicators show the figures of the annual reports.
    from dictamenes.cifras.selectors import indicadores

    anuales = {f["ejercicio"]: f for f in indicadores.por_ejercicio()}
    assert anuales[2023]["atendidas"] == 427
    assert anuales[2024]["atendidas"] == 794
    llegadas = indicadores.llegadas_mensuales(ejercicio=2024)
    assert llegadas[11]["n"] > 3 * llegadas[0]["n"]  # the year-end rush
    # «Cambios por aprobar» has what a second administrator does: a role of the procedure and
    # an e-mail asked by admin, waiting, and not yet in effect.
    pendientes = CambioPendiente.objects.filter(estado=CambioPendiente.Estado.PENDIENTE)
    assert sorted((c.tipo, c.persona.username, c.pedido_por.username) for c in pendientes) == [
        (CambioPendiente.Tipo.IDENTIDAD, "requirente.rc", "admin"),
        (CambioPendiente.Tipo.ROL, "estrategico", "admin"),
    ]
    estrategico = get_user_model().objects.get(username="estrategico")
    assert Rol.FIRMANTE not in usuarios.roles_de(usuario=estrategico)
    # Issue 50: the computer equipment reviewer is away two weeks of the December rush.
    from dictamenes.models import Ausencia

    vacaciones = Ausencia.objects.get(persona__username="revisor.computo")
    assert (vacaciones.desde.isoformat(), vacaciones.hasta.isoformat()) == (
        "2026-12-14",
        "2026-12-27",
    )
    # Issue 62: every request presented above the office's amount went through the rule, each
    # item with three quotes valid that day or its justification (counted from the rows).
    from django.db.models import Count, F, Q, Sum

    from dictamenes.models import Partida

    umbral = 500000
    from demo.solicitudes import SOLICITUDES

    demo = [titulo for titulo, *_ in SOLICITUDES.values()]
    presentadas = (
        Solicitud.objects.filter(titulo__in=demo)
        .exclude(folio="")
        .annotate(total=Sum(F("partidas__cantidad") * F("partidas__precio_unitario")))
    )
    caras = [s.pk for s in presentadas if s.total and s.total > umbral]
    assert len(caras) == 8
    cortas = Partida.objects.filter(solicitud__in=caras).annotate(
        n=Count(
            "cotizaciones", filter=Q(cotizaciones__vigencia__gte=F("solicitud__creada_en__date"))
        )
    )
    assert sorted(
        (p.descripcion, p.n) for p in cortas if p.n < 3 or p.justificacion_cotizaciones
    ) == [("Licencias de ofimática", 0)]
    # The draft at twice its profile's price, and a unit for each item.
    doble = Partida.objects.get(
        solicitud__titulo="Computadoras portátiles para la Procuraduría Fiscal"
    )
    assert (doble.precio_unitario, doble.solicitud.estado) == (35000, "borrador")
    assert sorted(
        Partida.objects.filter(unidad="servicio", solicitud__titulo__in=demo).values_list(
            "descripcion", "meses"
        )
    ) == [
        ("Enlace dedicado de 500 Mbps (3 años)", 36),
        ("Enlaces dedicados de 200 Mbps", 12),
        ("Servicio integral de centro de datos", 36),
    ]
    assert list(
        Solicitud.objects.filter(compra_consolidada=True).values_list("titulo", flat=True)
    ) == ["Licencias de correo institucional para la Secretaría de Hacienda"]
    antes = Solicitud.objects.count()
    call_command("cargar_demo")
    assert Solicitud.objects.count() == antes
    assert CambioPendiente.objects.count() == 2
    assert Ausencia.objects.count() == 3
