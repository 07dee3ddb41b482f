"""The signs where a decision is taken (issue 80, item 3): the request's page shows its signs
to the Subsecretaría's staff and the auditors, never to the agency; only whoever decides at
the request's step records what was done, with a note; the auditor filters the list by sign,
agency, supplier and year, and its CSV has the same rows; an agency's and a supplier's
history. The signs are written here as the doors keep them (their computing has its own tests,
test_calculo.py), so each page is read against rows whose every field is known."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import CodigoSenal, Ente, EventoAuditoria, Senal, SenalProveedor
from estandares.identidad import nombre_canonico
from tests.dictamenes.flujo_utils import detalle, presentada, usuario
from tests.dictamenes.tramite.test_consultas_detalle import consultas

pytestmark = pytest.mark.django_db

C = CodigoSenal
ENLACE = "/solicitudes/1/partidas/1/precio/"


def senal(solicitud, codigo, *, proveedores=(), ejercicio=None, vigente=True, dias=0, **campos):
    """A sign as the door keeps it, with the suppliers it names."""
    x = Senal.objects.create(
        solicitud=solicitud,
        codigo=codigo,
        ente_id=solicitud.ente_id,
        ejercicio=ejercicio or solicitud.ejercicio,
        texto=campos.pop("texto", f"Se encontró {codigo} en {solicitud.pk}."),
        evidencia=campos.pop(
            "evidencia",
            [
                {"texto": "La partida y su referencia", "enlace": ENLACE},
                {"texto": "Un enlace ajeno", "enlace": "javascript:alert(1)"},
            ],
        ),
        umbrales=campos.pop("umbrales", {"senal_cobertura_pct": "0.5"}),
        vigente=vigente,
        detectada_en=timezone.now() - datetime.timedelta(days=dias),
        retirada_en=None if vigente else timezone.now(),
        **campos,
    )
    for nombre in proveedores:
        SenalProveedor.objects.create(senal=x, nombre=nombre, clave=nombre_canonico(nombre))
    return x


@pytest.fixture
def en_admision(demo):
    """A request in admission with one sign of cover quotes, and none the doors computed."""
    solicitud = presentada(areas=("computo",), titulo="Equipo con cotizaciones iguales")
    Senal.objects.all().delete()
    return solicitud, senal(
        solicitud,
        C.COBERTURA,
        proveedores=("Cómputo del Norte, S.A. de C.V.", "Redes Sonora S.C."),
        texto="Tres cotizaciones de la partida 1 tienen el mismo precio unitario.",
    )


# --- The request's page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "username", ["mesa", "revisor.computo", "estrategico", "firmante", "auditor"]
)
def test_el_personal_y_el_auditor_leen_cada_senal_con_su_regla_evidencia_y_fuente(
    en_admision, como, username
):
    solicitud, x = en_admision
    html = como(username).get(detalle(solicitud)).content.decode()
    assert 'id="senales"' in html
    assert "Tres cotizaciones de la partida 1 tienen el mismo precio unitario." in html
    # The rule with the threshold kept with the sign (0.5 %), not the configuration's.
    assert "sus precios difieren a lo más 0.5 %" in html
    assert f'<a href="{ENLACE}">La partida y su referencia</a>' in html
    # A link that is not this site's is shown as text, never followed.
    assert "javascript:" not in html and "Un enlace ajeno" in html
    assert "Cardinal, R028 y R044" in html
    assert reverse("senales:proveedor", args=["computo del norte"]) in html
    assert "Nadie la ha atendido todavía." in html


def test_el_ente_que_solicita_no_lee_las_senales_de_su_solicitud(en_admision, como):
    solicitud, _x = en_admision
    html = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert 'id="senales"' not in html
    assert "mismo precio unitario" not in html


def _formulario(html, x) -> bool:
    return reverse("solicitudes:senal_atender", args=[x.solicitud_id, x.pk]) in html


def test_solo_quien_decide_en_la_etapa_tiene_el_formulario_y_puede_registrar(en_admision, como):
    solicitud, x = en_admision
    # In admission the mesa decides: the others read the sign without its form.
    assert _formulario(como("mesa").get(detalle(solicitud)).content.decode(), x)
    for otro in ("auditor", "estrategico", "revisor.computo"):
        assert not _formulario(como(otro).get(detalle(solicitud)).content.decode(), x), otro
    url = reverse("solicitudes:senal_atender", args=[solicitud.pk, x.pk])
    datos = {"senal-atencion": "prevencion", "senal-atencion_nota": "Se pidió aclarar precios."}
    for otro, estado in (("auditor", 403), ("estrategico", 403), ("requirente.sh", 403)):
        assert como(otro).post(url, datos).status_code == estado, otro
    x.refresh_from_db()
    assert x.atencion == ""
    respuesta = como("mesa").post(url, datos)
    assert respuesta.status_code == 302
    assert respuesta["Location"] == detalle(solicitud) + "#senales"
    x.refresh_from_db()
    assert (x.atencion, x.atencion_nota) == ("prevencion", "Se pidió aclarar precios.")
    assert EventoAuditoria.objects.filter(solicitud=solicitud, tipo="senal_atendida").count() == 1
    # What was done, and by whom, is on the page for everyone who reads the signs.
    html = como("auditor").get(detalle(solicitud)).content.decode()
    assert "Se pidió al ente que corrija o explique" in html
    assert "Se pidió aclarar precios." in html


def test_sin_nota_se_rechaza_en_espanol_junto_al_campo_y_no_se_pierde_lo_elegido(en_admision, como):
    solicitud, x = en_admision
    url = reverse("solicitudes:senal_atender", args=[solicitud.pk, x.pk])
    respuesta = como("mesa").post(url, {"senal-atencion": "sin_efecto", "senal-atencion_nota": ""})
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert (
        f'<span class="error" id="senal{x.pk}-senal-atencion_nota_error">Escriba en una nota '
        "qué se revisó: una señal no se cierra sin decir por qué.</span>"
    ) in html
    # What was chosen is still chosen.
    assert f'value="sin_efecto" required id="senal{x.pk}-senal-atencion_0" checked>' in html
    x.refresh_from_db()
    assert x.atencion == ""


def test_una_senal_de_otra_solicitud_no_existe_en_esta(en_admision, como):
    solicitud, _x = en_admision
    otra = presentada(areas=("computo",), titulo="Otra")
    ajena = senal(otra, C.PRECIO_ALTO)
    url = reverse("solicitudes:senal_atender", args=[solicitud.pk, ajena.pk])
    datos = {
        "senal-atencion": "sin_efecto",
        "senal-atencion_nota": "Revisada contra la referencia.",
    }
    assert como("mesa").post(url, datos).status_code == 404


def test_las_consultas_de_la_pagina_no_crecen_con_las_senales(en_admision, como):
    solicitud, _x = en_admision
    cliente = como("auditor")
    consultas(cliente, detalle(solicitud))  # catalogues and the request's rows cached first
    una = len(consultas(cliente, detalle(solicitud)))
    for codigo in (
        C.PRECIO_ALTO,
        C.POCAS_COTIZACIONES,
        C.PROVEEDOR_DEL_ENTE,
        C.CIERRE_DE_EJERCICIO,
    ):
        senal(solicitud, codigo, proveedores=(f"Proveedor {codigo}", f"Otro {codigo}"))
    senal(solicitud, C.FRACCIONAMIENTO, vigente=False)
    muchas = consultas(cliente, detalle(solicitud))
    assert len(muchas) == una, "\n".join(muchas)
    assert sum('FROM "dictamenes_senal"' in q for q in muchas) == 1
    assert sum('FROM "dictamenes_senalproveedor"' in q for q in muchas) == 1


def test_sin_senales_la_pagina_del_personal_lee_una_consulta_y_lo_dice(demo, como):
    solicitud = presentada(areas=("computo",))
    Senal.objects.all().delete()
    cliente = como("auditor")
    consultas(cliente, detalle(solicitud))
    sqls = consultas(cliente, detalle(solicitud))
    assert sum('FROM "dictamenes_senal"' in q for q in sqls) == 1
    assert not any('FROM "dictamenes_senalproveedor"' in q for q in sqls)
    assert "Esta solicitud no tiene señales." in cliente.get(detalle(solicitud)).content.decode()


# --- The auditor's list and its CSV -------------------------------------------------------------


@pytest.fixture
def historia(demo):
    """Signs of two agencies over two years, with their suppliers."""
    sh = presentada(areas=("computo",), titulo="SH uno")
    sh2 = presentada(areas=("computo",), titulo="SH dos")
    rc = presentada(areas=("computo",), requirente="requirente.rc", titulo="RC uno")
    Senal.objects.all().delete()
    anio = sh.ejercicio
    return {
        "sh_cobertura": senal(sh, C.COBERTURA, proveedores=("Cómputo del Norte, S.A. de C.V.",)),
        "sh_precio": senal(
            sh,
            C.PRECIO_ALTO,
            dias=3,
            atencion="sin_efecto",
            atencion_nota="Procede sin observaciones.",
            atendida_por=usuario("estrategico"),
            atendida_en=timezone.now(),
        ),
        "sh2_cobertura": senal(
            sh2, C.COBERTURA, ejercicio=anio - 1, dias=400, proveedores=("Redes Sonora S.C.",)
        ),
        "rc_cierre": senal(
            rc, C.CIERRE_DE_EJERCICIO, vigente=False, proveedores=("Cómputo del Norte SA",)
        ),
        "anio": anio,
        "sh": sh,
        "rc": rc,
    }


def _lista(cliente, **filtros):
    respuesta = cliente.get(reverse("senales:lista"), filtros)
    return respuesta, [f["senal"].pk for f in respuesta.context["filas"]]


def _csv(cliente, **filtros):
    respuesta = cliente.get(reverse("senales:lista_csv"), filtros)
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "text/csv; charset=utf-8"
    texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(texto)))


def test_el_auditor_filtra_por_senal_ente_proveedor_y_ejercicio_y_el_csv_tiene_las_mismas_filas(
    historia, como
):
    h = historia
    cliente = como("auditor")
    casos = [
        ({"codigo": C.COBERTURA}, {"sh_cobertura", "sh2_cobertura"}),
        ({"ente": h["rc"].ente_id}, {"rc_cierre"}),
        # Any part of the name, compared without accents, case or legal form.
        ({"proveedor": "CÓMPUTO del Norte, S.A."}, {"sh_cobertura", "rc_cierre"}),
        ({"ejercicio": h["anio"] - 1}, {"sh2_cobertura"}),
        ({"codigo": C.COBERTURA, "ejercicio": h["anio"]}, {"sh_cobertura"}),
        ({"vigencia": "retiradas"}, {"rc_cierre"}),
        ({"atencion": "atendidas"}, {"sh_precio"}),
        ({}, {"sh_cobertura", "sh_precio", "sh2_cobertura", "rc_cierre"}),
    ]
    for filtros, esperadas in casos:
        respuesta, pks = _lista(cliente, **filtros)
        assert respuesta.status_code == 200
        assert set(pks) == {h[k].pk for k in esperadas}, filtros
        filas = _csv(cliente, **filtros)
        assert [(f["Folio de la solicitud"], f["Código de la señal"]) for f in filas] == [
            (h[k].solicitud.folio, h[k].codigo)
            for k in sorted(esperadas, key=lambda k: pks.index(h[k].pk))
        ], filtros


def test_el_csv_dice_la_regla_los_proveedores_y_lo_que_se_hizo(historia, como):
    h = historia
    filas = {
        f["Código de la señal"]: f
        for f in _csv(como("auditor"), ente=h["sh"].ente_id, ejercicio=h["anio"])
    }
    assert filas["cobertura"]["Proveedores"] == "Cómputo del Norte, S.A. de C.V."
    assert "a lo más 0.5 %" in filas["cobertura"]["Regla"]
    assert filas["precio_alto"]["Qué se hizo"] == "Revisada: no cambia la decisión"
    assert filas["cobertura"]["Vigente"] == "sí"


def test_el_orden_de_la_lista(historia, como):
    h = historia
    cliente = como("auditor")
    _r, por_fecha = _lista(cliente)
    assert por_fecha[-1] == h["sh2_cobertura"].pk  # the oldest last
    _r, por_senal = _lista(cliente, orden="senal")
    assert [Senal.objects.get(pk=pk).codigo for pk in por_senal] == sorted(
        Senal.objects.values_list("codigo", flat=True)
    )
    _r, por_ente = _lista(cliente, orden="ente")
    siglas = [Senal.objects.get(pk=pk).ente.siglas for pk in por_ente]
    assert siglas == sorted(siglas) and len(set(siglas)) == 2


def test_un_filtro_que_no_se_lee_responde_400_con_su_mensaje_y_sin_filas(historia, como):
    respuesta, pks = _lista(como("auditor"), ejercicio="NaN", codigo="inventado")
    assert respuesta.status_code == 400 and pks == []
    html = respuesta.content.decode()
    assert "Ejercicio: Escriba un número entero, solo con dígitos del 0 al 9." in html
    assert "Señal: " in html


@pytest.mark.parametrize("username", ["requirente.sh", "requirente.rc"])
def test_el_ente_no_lee_las_paginas_de_senales(historia, como, username):
    cliente = como(username)
    for url in (
        reverse("senales:lista"),
        reverse("senales:lista_csv"),
        reverse("senales:ente", args=[historia["sh"].ente_id]),
        reverse("senales:proveedor", args=["computo del norte"]),
    ):
        assert cliente.get(url).status_code == 403, url


def test_las_consultas_de_la_lista_no_crecen_con_las_senales(historia, como):
    cliente = como("auditor")
    url = reverse("senales:lista")
    consultas(cliente, url)
    pocas = len(consultas(cliente, url))
    for n in range(12):
        senal(
            presentada(areas=("computo",), titulo=f"Otra {n}"),
            C.POCAS_COTIZACIONES,
            proveedores=(f"Proveedor {n}",),
        )
    assert len(consultas(cliente, url)) == pocas
    assert len(consultas(cliente, reverse("senales:ente", args=[historia["sh"].ente_id]))) <= (
        pocas + 2
    )


# --- An agency's and a supplier's history -------------------------------------------------------


def test_el_historial_del_ente_cuenta_por_ejercicio_y_senal_y_lista_las_suyas(historia, como):
    h = historia
    respuesta = como("auditor").get(reverse("senales:ente", args=[h["sh"].ente_id]))
    assert respuesta.status_code == 200
    cuentas = [
        (c["ejercicio"], c["codigo"], c["total"], c["vigentes"], c["atendidas"])
        for c in respuesta.context["cuentas"]
    ]
    assert cuentas == [
        (h["anio"], "precio_alto", 1, 1, 1),
        (h["anio"], "cobertura", 1, 1, 0),
        (h["anio"] - 1, "cobertura", 1, 1, 0),
    ]
    pks = [f["senal"].pk for f in respuesta.context["filas"]]
    assert set(pks) == {h["sh_cobertura"].pk, h["sh_precio"].pk, h["sh2_cobertura"].pk}
    assert como("auditor").get(reverse("senales:ente", args=[987654])).status_code == 404


def test_el_historial_del_proveedor_junta_sus_senales_de_todos_los_entes(historia, como):
    h = historia
    cliente = como("estrategico")
    respuesta = cliente.get(reverse("senales:proveedor", args=["computo del norte"]))
    assert respuesta.status_code == 200
    assert {f["senal"].pk for f in respuesta.context["filas"]} == {
        h["sh_cobertura"].pk,
        h["rc_cierre"].pk,
    }
    assert "Cómputo del Norte" in respuesta.context["titulo"]
    assert cliente.get(reverse("senales:proveedor", args=["nadie"])).status_code == 404


def test_el_auditor_llega_a_las_senales_desde_su_inicio_y_desde_la_solicitud(historia, como):
    cliente = como("auditor")
    assert f'href="{reverse("senales:lista")}">Señales</a>' in cliente.get("/").content.decode()
    html = cliente.get(detalle(historia["sh"])).content.decode()
    assert reverse("senales:ente", args=[historia["sh"].ente_id]) in html
    siglas = Ente.objects.get(pk=historia["sh"].ente_id).siglas
    assert f"Historial de señales de {siglas}" in html
