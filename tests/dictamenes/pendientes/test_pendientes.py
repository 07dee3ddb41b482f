"""«Pendientes» on every role's home (issue 34, item 1): what the person must act on, with
counts and deadlines, each entry linking to the exact place where they act; nothing else,
and a plain sentence when there is nothing. Queries bounded whatever the number of rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from dictamenes.organizacion.selectors.calendario import sumar_dias_habiles
from dictamenes.pendientes import selectors as pendientes
from dictamenes.personas.services import control_dual as cambios
from dictamenes.personas.services import personas
from dictamenes.roles import Rol
from dictamenes.seguimiento.services import condiciones, contratos
from dictamenes.tramite.services import etapas, tareas
from tests.dictamenes.flujo_utils import (
    PDF_MINIMO,
    admitida,
    detalle,
    en_firma,
    firmar,
    persona,
    presentada,
    usuario,
)

pytestmark = pytest.mark.django_db

NADA = "No tiene pendientes por ahora. Cuando algo le toque, aparecerá aquí."


def bloque(client) -> dict:
    """The «Pendientes» block of the home page: {group: (heading, [(text, href, deadline)])},
    or {"nada": sentence} when there is nothing."""
    pagina = lxml_html.fromstring(client.get(reverse("inicio")).content.decode())
    (seccion,) = pagina.xpath("//section[@id='pendientes']")
    assert seccion.xpath("h2")[0].text_content() == "Pendientes"
    grupos = {}
    for grupo in seccion.xpath(".//div[@data-grupo]"):
        filas = []
        for li in grupo.xpath(".//li"):
            (enlace,) = li.xpath("a")
            plazo = li.xpath(".//span[contains(@class, 'pendientes__plazo')]")
            filas.append(
                (
                    enlace.text_content().strip(),
                    enlace.get("href"),
                    " ".join(plazo[0].text_content().split()) if plazo else "",
                )
            )
        grupos[grupo.get("data-grupo")] = (
            " ".join(grupo.xpath("h3")[0].text_content().split()),
            filas,
        )
    nada = seccion.xpath(".//*[@id='sin-pendientes']")
    if nada:
        assert not grupos
        return {"nada": nada[0].text_content().strip()}
    return grupos


def dia(fecha) -> str:
    return f"{fecha:%d/%m/%Y}"


def vence_en(dias: int) -> str:
    return dia(sumar_dias_habiles(desde=timezone.localdate(), dias=dias))


def prevenida(**kwargs):
    solicitud = presentada(**kwargs)
    etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="Falta el oficio."
    )
    solicitud.refresh_from_db()
    return solicitud


def test_el_requirente_ve_su_prevencion_con_su_plazo_y_el_enlace_a_donde_la_subsana(demo, como):
    solicitud = prevenida(titulo="Equipos para ventanillas")
    assert bloque(como("requirente.sh")) == {
        "prevenciones": (
            "Prevenciones por subsanar (1)",
            [
                (
                    f"{solicitud.folio} · Subsanar la prevención: «Equipos para ventanillas»",
                    f"{detalle(solicitud)}#acciones",
                    f"vence el {vence_en(5)} · quedan 5 días hábiles",
                )
            ],
        )
    }
    # Another agency's requirente has nothing of it; nor has the mesa, which already acted.
    assert bloque(como("requirente.rc")) == {"nada": NADA}
    assert bloque(como("mesa")) == {"nada": NADA}
    # Once corrected, it leaves her home and the admission waits for the mesa.
    etapas.solicitud_subsanar(
        solicitud=solicitud, usuario=usuario("requirente.sh"), respuesta="Se adjunta."
    )
    assert bloque(como("requirente.sh")) == {"nada": NADA}
    assert bloque(como("mesa")) == {
        "por_tomar": (
            "Pasos por tomar (1)",
            [
                (
                    f"{solicitud.folio} · Admisión",
                    f"{detalle(solicitud)}#t-tareas",
                    f"vence el {vence_en(2)} · quedan 2 días hábiles",
                )
            ],
        )
    }


def test_la_mesa_ve_la_admision_por_tomar_y_al_tomarla_como_suya(demo, como):
    solicitud = presentada()
    enlace = detalle(solicitud)
    assert bloque(como("mesa")) == {
        "por_tomar": (
            "Pasos por tomar (1)",
            [
                (
                    f"{solicitud.folio} · Admisión",
                    f"{enlace}#t-tareas",
                    f"vence el {vence_en(2)} · quedan 2 días hábiles",
                )
            ],
        )
    }
    (tarea,) = [t for t in solicitud.proceso.task_set.all() if t.flow_task.name == "admision"]
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("mesa"))
    assert bloque(como("mesa")) == {
        "mis_tareas": (
            "Pasos a su cargo (1)",
            [
                (
                    f"{solicitud.folio} · Admisión",
                    f"{enlace}#acciones",
                    f"vence el {vence_en(2)} · quedan 2 días hábiles",
                )
            ],
        )
    }
    # The requirente waits: nothing is hers to do.
    assert bloque(como("requirente.sh")) == {"nada": NADA}


def test_cada_revisor_ve_solo_la_revision_de_su_area(demo, como):
    solicitud = admitida(areas=("computo", "redes"))
    computo = bloque(como("revisor.computo"))
    assert computo == {
        "por_tomar": (
            "Pasos por tomar (1)",
            [
                (
                    f"{solicitud.folio} · Revisión técnica: Equipo de cómputo e impresión",
                    f"{detalle(solicitud)}#t-tareas",
                    f"vence el {vence_en(5)} · quedan 5 días hábiles",
                )
            ],
        )
    }
    assert bloque(como("revisor.seguridad")) == {"nada": NADA}
    assert bloque(como("estrategico")) == {"nada": NADA}


def test_el_requirente_ve_la_informacion_que_le_pide_un_area(demo, como):
    solicitud = admitida(areas=("computo",))
    from dictamenes.models import Area

    etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.computo"),
        area=Area.objects.get(clave="computo"),
        pregunta="¿Qué garantía ofrece el proveedor?",
    )
    grupos = bloque(como("requirente.sh"))
    assert grupos == {
        "peticiones": (
            "Información que le piden las áreas (1)",
            [
                (
                    f"{solicitud.folio} · Equipo de cómputo e impresión pide información",
                    f"{detalle(solicitud)}#acciones",
                    "",
                )
            ],
        )
    }


def test_el_firmante_ve_la_firma_y_el_estrategico_su_decision(demo, como):
    solicitud = en_firma()
    assert bloque(como("firmante"))["por_tomar"][1] == [
        (
            f"{solicitud.folio} · Firma",
            f"{detalle(solicitud)}#t-tareas",
            f"vence el {vence_en(2)} · quedan 2 días hábiles",
        )
    ]
    assert bloque(como("estrategico")) == {"nada": NADA}


CONDICIONES = (
    "1. Seguridad informática: entregar la matriz de riesgos del firewall.\n"
    "2. Presentar el programa de capacitación del personal.\n"
    "- redes: acreditar el enlace redundante con el proveedor."
)


def test_condiciones_la_dependencia_las_cumple_y_cada_area_verifica_la_suya(demo, como):
    dictamen = firmar(
        en_firma(areas=("redes", "seguridad"), resultado="condicionado", condiciones=CONDICIONES)
    )
    enlace = detalle(dictamen.solicitud)
    vence = dia(sumar_dias_habiles(desde=timezone.localdate(dictamen.emitido_en), dias=20))
    requirente = bloque(como("requirente.sh"))
    assert requirente["condiciones"] == (
        "Condiciones por cumplir (3)",
        [
            (
                f"{dictamen.folio} · Condición {n}: suba la evidencia",
                f"{enlace}#condicion-{n}",
                f"vence el {vence} · quedan 20 días hábiles",
            )
            for n in (1, 2, 3)
        ],
    )
    # Nothing waits for a reviewer until evidence arrives.
    assert bloque(como("revisor.seguridad")) == {"nada": NADA}

    c1 = dictamen.obligaciones.get(numero=1)
    condiciones.condicion_evidencia_subir(
        condicion=c1,
        usuario=usuario("requirente.sh"),
        archivo=SimpleUploadedFile("matriz.pdf", PDF_MINIMO, content_type="application/pdf"),
    )
    hoy = dia(timezone.localdate())
    assert bloque(como("revisor.seguridad")) == {
        "evidencias": (
            "Evidencia de condiciones por verificar (1)",
            [
                (
                    f"{dictamen.folio} · Condición 1: verifique la evidencia",
                    f"{enlace}#condicion-1",
                    "",
                )
            ],
        )
    }
    pagina = como("revisor.seguridad").get(reverse("inicio")).content.decode()
    assert f"evidencia recibida el {hoy}" in pagina
    # The list of all open conditions is linked from the reviewer's panel.
    assert f'href="{reverse("planeacion:condiciones")}"' in pagina
    assert bloque(como("revisor.redes")) == {"nada": NADA}
    assert [f[0] for f in bloque(como("requirente.sh"))["condiciones"][1]] == [
        f"{dictamen.folio} · Condición {n}: suba la evidencia" for n in (2, 3)
    ]

    condiciones.condicion_verificar(condicion=c1, usuario=usuario("revisor.seguridad"))
    assert bloque(como("revisor.seguridad")) == {"nada": NADA}


def test_un_favorable_pide_su_contrato_y_la_encuesta_hasta_registrarlo(demo, como):
    dictamen = firmar(en_firma(titulo="Equipos de archivo"))
    enlace = detalle(dictamen.solicitud)
    grupos = bloque(como("requirente.sh"))
    assert grupos["contratos"] == (
        "Contratos por registrar (1)",
        [
            (
                f"{dictamen.folio} · Registre el contrato de «Equipos de archivo»",
                f"{enlace}#registrar-contrato",
                "",
            )
        ],
    )
    pagina = como("requirente.sh").get(reverse("inicio")).content.decode()
    assert f"el dictamen está vigente hasta el {dia(dictamen.vigencia_hasta)}" in pagina
    assert grupos["encuestas"] == (
        "Encuestas de satisfacción (1)",
        [
            (
                f"{dictamen.solicitud.folio} · Encuesta de satisfacción (opcional y anónima)",
                reverse("solicitudes:encuesta", args=[dictamen.solicitud_id]),
                "",
            )
        ],
    )
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="C-1",
        proveedor="Proveedor S.A.",
        fecha=timezone.localdate(),
        monto=Decimal("1000.00"),
    )
    assert "contratos" not in bloque(como("requirente.sh"))


def test_el_administrador_ve_los_cambios_que_otro_pidio(demo, como):
    estrategico = usuario("estrategico")
    personas.rol_otorgar(
        usuario=estrategico, rol=Rol.FIRMANTE, por=usuario("admin"), motivo="Suplencia."
    )
    from dictamenes.models import CambioPendiente

    cambio = CambioPendiente.objects.get()
    # Who asked cannot approve it: not theirs to do.
    assert bloque(como("admin")) == {"nada": NADA}
    assert bloque(como("admin2")) == {
        "cambios": (
            "Cambios por aprobar (1)",
            [
                (
                    f"Otorgar un rol: {estrategico.get_full_name()}",
                    f"{reverse('cuentas:cambios')}#cambio-{cambio.pk}",
                    "",
                )
            ],
        )
    }


def test_sin_pendientes_lo_dice_una_vez(demo, como):
    pagina = como("auditor").get(reverse("inicio")).content.decode()
    assert pagina.count(NADA) == 1
    assert pagina.count("Pendientes") == 1


def _consultas(client) -> int:
    with CaptureQueriesContext(connection) as consultas:
        assert client.get(reverse("inicio")).status_code == 200
    return len(consultas)


QUIENES = ("requirente.sh", "mesa", "revisor.computo", "admin2")


def _una_de_cada(personas_sin_cambio):
    """One more pending item for each of QUIENES: a prevention, an admission to take, a
    review to take, an e-mail change to approve."""
    presentada()
    prevenida()
    admitida()
    cambios.cambio_identidad_pedir(
        persona=personas_sin_cambio.pop(),
        por=usuario("admin"),
        motivo="Dominio nuevo.",
        email=f"nuevo{len(personas_sin_cambio)}@demo.invalid",
    )


def test_consultas_acotadas_con_uno_o_muchos_pendientes(
    demo, client, django_assert_max_num_queries
):
    from django.contrib.auth import get_user_model

    otras = list(get_user_model().objects.exclude(username__in=["admin", "admin2"]))
    otras += [
        persona(f"persona{i}", roles=[Rol.AUDITOR], rfc=f"PEXX8001{i:02d}AB1") for i in range(1, 4)
    ]
    _una_de_cada(otras)

    def medir():
        cifras = {}
        for quien in QUIENES:
            client.force_login(usuario(quien))
            _consultas(client)  # the catalogues and the calendar settle in the cache
            cifras[quien] = _consultas(client)
        return cifras

    con_uno = medir()
    for _ in range(pendientes.LIMITE - 1):
        _una_de_cada(otras)
    con_una_pagina = medir()
    # Each group counts its rows in the query that reads its page: the same queries with one
    # pending thing of each kind, a full page or more (issue 45), never one per row.
    assert con_una_pagina == con_uno
    _una_de_cada(otras)
    _una_de_cada(otras)
    assert medir() == con_uno
    # More than a page of each: the counts say so, the rows stop at LIMITE.
    client.force_login(usuario("mesa"))
    total, filas = bloque(client)["por_tomar"]
    assert (total, len(filas)) == (f"Pasos por tomar ({pendientes.LIMITE + 2})", pendientes.LIMITE)
    for quien in QUIENES:
        client.force_login(usuario(quien))
        # Its page and its count per group with something pending: at most 18.
        with django_assert_max_num_queries(18):
            client.get(reverse("inicio"))


MESES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"


def test_el_corte_solo_lo_leen_requirentes_y_mesa_y_dice_si_ya_paso(demo, client, como, settings):
    hoy = timezone.localdate()
    manana, ayer = hoy + datetime.timedelta(days=1), hoy - datetime.timedelta(days=1)
    if manana.year != hoy.year or ayer.year != hoy.year:
        pytest.skip("el corte de mañana o de ayer sería de otro año")
    settings.DICTAMENES_FECHA_CORTE = f"{manana:%m-%d}"
    fecha = f"{manana.day} de {MESES.split()[manana.month - 1]}"
    pagina = como("requirente.sh").get(reverse("inicio")).content.decode()
    assert (
        f"Fecha de corte del ejercicio: las solicitudes que lleguen después del {fecha} podrían "
        "no dictaminarse este año fiscal. Preséntelas con anticipación."
    ) in pagina
    assert "Fecha de corte" in como("mesa").get(reverse("inicio")).content.decode()
    for quien in ("revisor.computo", "estrategico", "firmante", "auditor", "admin"):
        assert "Fecha de corte" not in como(quien).get(reverse("inicio")).content.decode(), quien
    client.logout()
    assert "Fecha de corte" not in client.get(reverse("inicio")).content.decode()

    settings.DICTAMENES_FECHA_CORTE = f"{ayer:%m-%d}"
    fecha = f"{ayer.day} de {MESES.split()[ayer.month - 1]}"
    pagina = como("requirente.sh").get(reverse("inicio")).content.decode()
    assert (
        f"Fecha de corte del ejercicio: el {fecha} ya pasó. Las solicitudes que se presenten "
        "ahora podrían no dictaminarse este año fiscal."
    ) in pagina
    assert "Preséntelas con anticipación" not in pagina


def test_la_portada_publica_lleva_a_los_datos_abiertos(client):
    pagina = lxml_html.fromstring(client.get(reverse("inicio")).content.decode())
    (enlace,) = pagina.xpath("//main//a[normalize-space()='Ver los datos abiertos']")
    assert enlace.get("href") == reverse("datos_abiertos")


def _estados_de_la_pagina(client) -> list[str]:
    pagina = lxml_html.fromstring(client.get(reverse("solicitudes:lista")).content.decode())
    return [
        (fila.xpath("th")[0].text_content().strip(), fila.xpath(".//span")[0].text_content())
        for fila in pagina.xpath("//main//table/tbody/tr")
    ]


def test_las_listas_ponen_lo_abierto_antes_que_la_historia(demo, como):
    """In the demo, the 2023–2024 history was written after the open requests: «Mis
    solicitudes» showed the prevenida on its last page."""
    from dictamenes.models import Ente, Solicitud
    from tests.conocidos import solicitud as historica

    en_revision = admitida(titulo="En revisión")
    en_prevencion = prevenida(titulo="Prevenida")
    sh = Ente.objects.get(siglas="SH")
    Solicitud.objects.bulk_create(
        historica(sh, anio=2024, mes=3, estado=Solicitud.Estado.DICTAMINADA, dias=5)
        for _ in range(30)
    )
    filas = _estados_de_la_pagina(como("requirente.sh"))
    assert filas[:2] == [
        (en_prevencion.folio, "Prevenida"),
        (en_revision.folio, "En revisión técnica"),
    ]
    assert {estado for _, estado in filas[2:]} == {"Dictaminada"}
    assert len(filas) == 25
    # The reviewer's «Solicitudes» (every agency) too.
    assert _estados_de_la_pagina(como("revisor.computo"))[:2] == [
        (en_prevencion.folio, "Prevenida"),
        (en_revision.folio, "En revisión técnica"),
    ]


def test_cada_estado_es_abierto_o_concluido_y_la_base_lo_guarda(demo):
    """The lists' order reads Solicitud.concluida, which the database computes from the state
    (issue 45): concluded is attended (estados.ATENDIDA), the indicator's word for it."""
    from dictamenes.models import Solicitud
    from dictamenes.models.solicitudes import ESTADOS_CONCLUIDOS
    from dictamenes.tramite.selectors.estados import ATENDIDA

    assert set(ESTADOS_CONCLUIDOS) == set(ATENDIDA)
    solicitud = prevenida()
    for estado in Solicitud.Estado.values:
        Solicitud.objects.filter(pk=solicitud.pk).update(estado=estado)
        concluida = Solicitud.objects.values_list("concluida", flat=True).get(pk=solicitud.pk)
        assert concluida is (estado in ATENDIDA), estado


def _pagina(client, solicitud):
    return lxml_html.fromstring(client.get(detalle(solicitud)).content.decode())


def test_el_paso_de_la_dependencia_se_lee_como_suyo(demo, como):
    """The requirente saw «Sin tomar» on her own step: nobody takes it, it is hers."""
    solicitud = prevenida()
    pagina = _pagina(como("requirente.sh"), solicitud)
    (paso,) = pagina.xpath("//li[@data-paso='subsanar'][@aria-current='step']")
    assert paso.xpath(".//p[@class='paso__dato']")[0].text_content() == "Le toca a usted"
    (fila,) = pagina.xpath("//section[@aria-labelledby='t-tareas']//tbody/tr")
    assert fila.xpath("th")[0].text_content() == "Subsanar la prevención"
    assert fila.xpath("td")[0].text_content().strip() == "Le toca a usted"
    assert "Sin tomar" not in pagina.xpath("//main")[0].text_content()
    # The draft's presentation, too.
    pagina = _pagina(como("requirente.sh"), borrador_de("Otra"))
    (paso,) = pagina.xpath("//li[@data-paso='presentar'][@aria-current='step']")
    assert paso.xpath(".//p[@class='paso__dato']")[0].text_content() == "Le toca a usted"
    # Anyone else reads whose it is.
    pagina = _pagina(como("mesa"), solicitud)
    (paso,) = pagina.xpath("//li[@data-paso='subsanar'][@aria-current='step']")
    assert "Le toca a usted" not in paso.text_content()


def borrador_de(titulo):
    from tests.dictamenes.flujo_utils import borrador

    return borrador(titulo=titulo)


def _encabezado_de_acciones(pagina) -> str:
    (h2,) = pagina.xpath("//section[@id='acciones']/h2")
    return h2.text_content()


def test_sin_nada_que_hacer_el_recuadro_dice_lo_que_sigue(demo, como):
    """«Lo que le toca hacer» was followed by «Por ahora no le toca hacer nada»."""
    solicitud = presentada()
    pagina = _pagina(como("requirente.sh"), solicitud)
    assert _encabezado_de_acciones(pagina) == "Lo que sigue"
    assert "Lo que le toca hacer" not in pagina.xpath("//main")[0].text_content()
    assert (
        "Por ahora no le toca hacer nada."
        in pagina.xpath("//*[@id='lo-que-sigue']")[0].text_content()
    )
    # With something to do, the box says so.
    etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="Falta el oficio."
    )
    assert _encabezado_de_acciones(_pagina(como("requirente.sh"), solicitud)) == (
        "Lo que le toca hacer"
    )


@pytest.mark.parametrize("siglas", [["NO-EXISTE"], ["SH"], ["SH", "RC", "SEC"]])
def test_un_grupo_lee_su_pagina_y_su_total_en_una_sola_consulta(
    demo, siglas, django_assert_num_queries
):
    """Nothing, one row or several: one query, so a home's queries do not grow with the data
    (make bench-escala found the signer's home at 13 queries at K/10 and 14 at K)."""
    from dictamenes.models import Ente

    consulta = Ente.objects.filter(siglas__in=siglas).order_by("siglas")
    esperados = sorted(s for s in siglas if s != "NO-EXISTE")
    with django_assert_num_queries(1):
        grupo = pendientes._grupo("entes", "Entes", consulta, lambda filas: filas)
    if not esperados:
        assert grupo is None
    else:
        assert grupo.total == len(esperados)
        assert [e.siglas for e in grupo.entradas] == esperados
