"""The annual programme, linking, reminders, cut-off and consolidation."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import LineaPrograma, ProgramaAnual, Sustitucion
from dictamenes.planeacion.services import programa as planeacion
from dictamenes.planeacion.services import pronostico as pronostico_servicio
from dictamenes.suplencias import services as suplencias
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import etapas
from tests.dictamenes.flujo_utils import presentada, usuario

pytestmark = pytest.mark.django_db
ENCABEZADO = ",".join(planeacion.NOMBRES)
ANIO = timezone.localdate().year


def importar(texto, username="requirente.sh", nombre="programa.csv"):
    persona = usuario(username)
    return planeacion.programa_importar(
        ente=persona.perfil.ente,
        ejercicio=ANIO,
        usuario=persona,
        nombre=nombre,
        contenido=texto.encode() if isinstance(texto, str) else texto,
    )


BUENO = (
    f"{ENCABEZADO}\n"
    "computadora-escritorio,basico,Equipos de ventanilla,20,300000,5000,51501,3\n"
    "switch,,Switches de acceso,4,180000.50,5000,51501,11\n"
)


def test_importar_un_programa(demo):
    programa = importar(BUENO)
    lineas = list(programa.lineas.order_by("mes_previsto"))
    assert [(x.categoria, x.mes_previsto, x.area.clave) for x in lineas] == [
        ("computadora-escritorio", 3, "computo"),
        ("switch", 11, "redes"),
    ]
    assert str(lineas[1].monto_estimado) == "180000.50"
    # Loading again replaces the lines not yet presented.
    importar(BUENO)
    assert LineaPrograma.objects.count() == 2


def test_filas_malas_se_reportan_por_fila_y_columna_y_no_se_guarda_nada(demo):
    texto = (
        f"{ENCABEZADO}\n"
        "computadora-escritorio,basico,Equipos,20,300000,5000,51501,3\n"
        "impresoras-laser,,Impresoras,0,mucho,4000,51,13\n"
        "switch,avanzadisimo,,2,1000,5000,51501,5\n"
    )
    with pytest.raises(planeacion.ProgramaError) as exc:
        importar(texto)
    assert exc.value.errores == [
        "fila 3, columna «categoria»: «impresoras-laser» no es una categoría vigente",
        "fila 3, columna «cantidad»: debe ser un número entero mayor que cero",
        "fila 3, columna «monto_estimado»: debe ser un monto en pesos, p. ej. 150000.00",
        "fila 3, columna «capitulo»: debe ser 2000, 3000 o 5000",
        "fila 3, columna «partida_especifica»: debe tener 4 o 5 dígitos",
        "fila 3, columna «mes»: debe ser un número de mes, de 1 a 12",
        "fila 4, columna «perfil»: «avanzadisimo» no es un perfil de Switch",
        "fila 4, columna «descripcion»: falta la descripción",
    ]
    assert not ProgramaAnual.objects.exists()


def test_encabezado_equivocado(demo):
    with pytest.raises(planeacion.ProgramaError, match="La primera fila debe tener"):
        importar("a,b,c\n1,2,3\n")


def test_importar_desde_xlsx(demo):
    from openpyxl import Workbook

    libro = Workbook()
    hoja = libro.active
    hoja.append(planeacion.NOMBRES)
    hoja.append(["switch", "", "Switches", 4, 180000, 5000, 51501, 11])
    salida = io.BytesIO()
    libro.save(salida)
    programa = importar(salida.getvalue(), nombre="paaas.xlsx")
    assert programa.lineas.get().mes_previsto == 11


def test_la_solicitud_presentada_se_vincula_a_su_linea(demo):
    importar(BUENO)
    solicitud = presentada(areas=("computo",))
    assert solicitud.planeada is True
    assert solicitud.linea_programa.categoria == "computadora-escritorio"
    otra = presentada(areas=("seguridad",), titulo="No planeada")
    assert otra.planeada is False
    assert "(no estaba en el programa anual)" in otra.eventos.get(tipo="presentacion").descripcion


def test_recordatorios_antes_del_mes_planeado(demo, django_capture_on_commit_callbacks):
    importar(BUENO)
    with time_machine.travel(datetime.datetime(ANIO, 2, 20, 12, tzinfo=datetime.UTC)):
        assert [x.mes_previsto for x in planeacion.lineas_por_recordar()] == [3]
        with django_capture_on_commit_callbacks(execute=True):
            assert planeacion.recordatorios_enviar() == 1
            assert planeacion.recordatorios_enviar() == 0  # once per line
    aviso = mail.outbox[-1]
    assert "Equipos de ventanilla" in aviso.body
    assert aviso.to == ["requirente.sh@demo.invalid"]
    with time_machine.travel(datetime.datetime(ANIO, 1, 5, 12, tzinfo=datetime.UTC)):
        assert list(planeacion.lineas_por_recordar()) == []


def test_consolidacion_dentro_y_fuera_de_la_ventana(demo):
    primera = presentada(areas=("redes",), titulo="Switches SH")
    segunda = presentada(areas=("redes",), requirente="requirente.rc", titulo="Switches RC")
    (grupo,) = planeacion.consolidaciones()
    assert grupo.entes == ("RC", "SH")
    assert set(grupo.solicitudes) == {primera.folio, segunda.folio}
    assert grupo.cantidad == 4
    assert planeacion.consolidaciones_de(solicitud=primera) == [grupo]
    # Sixty-one days later the two requests are no longer close enough.
    despues = timezone.now() + datetime.timedelta(days=61)
    assert planeacion.consolidaciones(hasta=despues) == []


def test_paginas_de_programa_consolidacion_y_fecha_de_corte(demo, client):
    client.force_login(usuario("requirente.sh"))
    assert "Fecha de corte del ejercicio" in client.get("/").content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        reverse("planeacion:programa"),
        {
            "ejercicio": ANIO,
            "archivo": SimpleUploadedFile("p.csv", b"a,b\n1,2\n"),
        },
    )
    assert r.status_code == 400
    assert "La primera fila debe tener" in r.content.decode()
    assert client.get(reverse("planeacion:consolidacion")).status_code == 403
    client.force_login(usuario("mesa"))
    assert client.get(reverse("planeacion:programa")).status_code == 403
    client.force_login(usuario("estrategico"))
    assert client.get(reverse("planeacion:consolidacion")).status_code == 200


@pytest.fixture
def asignacion_automatica(settings):
    settings.DICTAMENES_ASIGNACION_AUTOMATICA = True


def dueno(solicitud, nodo):

    tarea = tareas_abiertas(solicitud=solicitud).get(flow_task_type="HUMAN")
    assert tarea.flow_task.name == nodo
    return tarea.owner.username if tarea.owner else None


def test_asignacion_por_carga(demo, asignacion_automatica):
    from dictamenes.roles import Rol
    from tests.dictamenes.flujo_utils import persona

    persona("mesa2", roles=[Rol.MESA_CONTROL], rfc="OMXX800101AB1")
    asignados = [dueno(presentada(titulo=f"Carga {i}"), "admision") for i in range(4)]
    # Two people, four tasks: each gets two, alternating by open load.
    assert sorted(asignados) == ["mesa", "mesa", "mesa2", "mesa2"]
    assert asignados[0] != asignados[1]


def test_asignacion_respeta_suplencias_y_separacion(demo, asignacion_automatica):
    from dictamenes.models import Area
    from dictamenes.roles import Rol
    from tests.dictamenes.flujo_utils import admitida, persona

    hoy = timezone.localdate()
    suplente = persona("suplente", roles=[Rol.MESA_CONTROL], rfc="SUXX800101AB1")
    suplencias.sustitucion_crear(
        titular=usuario("mesa"),
        suplente=suplente,
        desde=hoy,
        hasta=hoy,
        motivo="Permiso con goce de sueldo",
    )
    assert dueno(presentada(), "admision") == "suplente"

    doble = persona(
        "doble",
        roles=[Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO],
        rfc="DOXX800101AB1",
        areas=[Area.objects.get(clave="computo")],
    )
    Sustitucion.objects.all().delete()
    solicitud = admitida(areas=("computo",), titulo="Doble rol")
    tarea = tareas_abiertas(solicitud=solicitud).get(flow_task_type="HUMAN")
    if tarea.owner_id != doble.pk:  # make the double-role person the area reviewer
        tarea.flow_task.activation_class(tarea).reassign(user=doble)
    etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=doble,
        area=Area.objects.get(clave="computo"),
        opinion="favorable",
        observaciones="",
        partidas={p.pk: {"opinion": "Bien."} for p in solicitud.partidas.all()},
    )
    # The strategic review never goes to who reviewed the area.
    assert dueno(solicitud, "revision_estrategica") == "estrategico"


def test_pronostico_y_capacidad_sobre_datos_conocidos(demo, client):
    from dictamenes.models import Solicitud

    importar(
        f"{ENCABEZADO}\n"
        + "".join(f"switch,,Switches {i},1,1000,5000,51501,12\n" for i in range(45))
        + "computadora-escritorio,basico,Equipos,1,1000,5000,51501,12\n"
    )
    # Last year: 4 requests in December, so the December average is 4.
    Solicitud.objects.bulk_create(
        [
            Solicitud(
                ente=usuario("requirente.sh").perfil.ente,
                ejercicio=ANIO - 1,
                tipo_operacion="adquisicion",
                titulo="h",
                justificacion="x",
                alineacion="x",
                monto_estimado=1,
                estado="dictaminada",
                creada_por=usuario("requirente.sh"),
                presentada_en=datetime.datetime(ANIO - 1, 12, 5, 12, tzinfo=datetime.UTC),
            )
            for _ in range(4)
        ]
    )
    datos = pronostico_servicio.pronostico(anio=ANIO, hoy=datetime.date(ANIO, 1, 15))
    diciembre = datos["meses"][11]
    assert (diciembre["planeadas"], diciembre["historico"], diciembre["pronostico"]) == (
        46,
        4.0,
        46,
    )
    redes = next(a for a in datos["areas"] if a["area"].clave == "redes")
    computo = next(a for a in datos["areas"] if a["area"].clave == "computo")
    # One reviewer per area in the demo × business days of December × 2 reviews a day.
    capacidad = 1 * datos["habiles"][12] * 2
    assert redes["meses"][11] == {
        "mes": 12,
        "carga": 45,
        "capacidad": capacidad,
        "excede": capacidad < 45,
    }
    assert redes["meses"][11]["excede"] is True
    assert computo["meses"][11]["excede"] is False
    client.force_login(usuario("estrategico"))
    html = client.get(reverse("planeacion:pronostico")).content.decode()
    assert "excede" in html and "Promedio histórico" in html


def test_una_solicitud_retirada_no_cuenta_para_consolidar(demo):
    """A request its agency withdrew will not be bought: it is no longer a consolidation
    opportunity for the other agency's."""
    from dictamenes.tramite.services import cierre

    primera = presentada(areas=("redes",), titulo="Switches SH")
    presentada(areas=("redes",), requirente="requirente.rc", titulo="Switches RC")
    assert len(planeacion.consolidaciones()) == 1
    cierre.solicitud_desistir(
        solicitud=primera, usuario=usuario("requirente.sh"), motivo="Ya no se compran."
    )
    assert planeacion.consolidaciones() == []
