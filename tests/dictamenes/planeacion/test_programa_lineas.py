"""The annual programme by hand: one line added, corrected or withdrawn with the file import's
own rules, audited, only by the agency's requirentes, never once a request took it; and a
presented request linked to a line by profile before category."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import EventoAuditoria, LineaPrograma
from dictamenes.planeacion.services import programa as planeacion
from dictamenes.planeacion.services import pronostico
from tests.dictamenes.flujo_utils import perfil_de_area, presentada, usuario

pytestmark = pytest.mark.django_db
ANIO = timezone.localdate().year
MES = timezone.localdate().month
BUENA = {
    "categoria": "switch",
    "perfil": "acceso",
    "descripcion": "Switches de acceso",
    "cantidad": "4",
    "monto_estimado": "180000.50",
    "capitulo": "5000",
    "partida_especifica": "51501",
    "mes": "11",
}
# Rows the file refuses; the page must refuse each the same way, column by column.
MALAS = [
    {**BUENA, "categoria": "impresoras-laser", "cantidad": "0", "monto_estimado": "mucho"},
    {**BUENA, "perfil": "avanzadisimo", "descripcion": ""},
    {**BUENA, "capitulo": "4000", "partida_especifica": "51", "mes": "13"},
    {**BUENA, "cantidad": "99999999999999", "monto_estimado": "1e30", "mes": "inf"},
    {**BUENA, "monto_estimado": "-5"},
    {**BUENA, "monto_estimado": "9999999999999"},  # beyond the column: the model's own limit
]


def agregar(datos=BUENA, username="requirente.sh", ejercicio=ANIO):
    persona = usuario(username)
    return planeacion.linea_agregar(
        ente=persona.perfil.ente, ejercicio=ejercicio, usuario=persona, datos=datos
    )


def errores_del_archivo(fila):
    texto = ",".join(planeacion.NOMBRES) + "\n" + ",".join(fila[n] for n in planeacion.NOMBRES)
    persona = usuario("requirente.sh")
    with pytest.raises(planeacion.ProgramaError) as exc:
        planeacion.programa_importar(
            ente=persona.perfil.ente,
            ejercicio=ANIO,
            usuario=persona,
            nombre="p.csv",
            contenido=texto.encode(),
        )
    return exc.value.errores


@pytest.mark.parametrize("fila", MALAS)
def test_la_pagina_rechaza_lo_mismo_que_el_archivo_con_los_mismos_mensajes(demo, client, fila):
    client.force_login(usuario("requirente.sh"))
    r = client.post(reverse("planeacion:linea_nueva"), {"ejercicio": ANIO, **fila})
    assert r.status_code == 400
    del_archivo = errores_del_archivo(fila)
    assert del_archivo  # the file refuses the row
    for error in del_archivo:
        columna, mensaje = error.removeprefix("fila 2, columna «").split("»: ", 1)
        assert mensaje in r.context["form"].errors[columna]
    assert sum(len(e) for e in r.context["form"].errors.values()) == len(del_archivo)
    assert not LineaPrograma.objects.exists()


def test_agregar_por_la_pagina_conserva_lo_escrito_y_queda_auditado(demo, client):
    client.force_login(usuario("requirente.sh"))
    assert client.get(reverse("planeacion:linea_nueva")).status_code == 200
    r = client.post(
        reverse("planeacion:linea_nueva"),
        {"ejercicio": ANIO, **BUENA, "descripcion": "Switches del piso 3", "cantidad": "cuatro"},
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "La línea no se guardó" in html
    assert "debe ser un número entero mayor que cero" in html
    assert 'value="cuatro"' in html and 'value="Switches del piso 3"' in html
    assert '<option value="switch" selected>' in html
    r = client.post(reverse("planeacion:linea_nueva"), {"ejercicio": ANIO, **BUENA})
    assert r.status_code == 302
    linea = LineaPrograma.objects.get()
    assert (linea.categoria, linea.perfil, linea.area.clave, linea.mes_previsto) == (
        "switch",
        "acceso",
        "redes",
        11,
    )
    assert linea.programa.ente.siglas == "SH" and linea.programa.ejercicio == ANIO
    evento = EventoAuditoria.objects.get(tipo="programa_linea_agregada")
    assert evento.usuario.username == "requirente.sh"
    assert evento.datos["columnas"]["monto_estimado"] == "180000.50"
    assert "Switches de acceso" in client.get(reverse("planeacion:programa")).content.decode()


def test_corregir_una_linea_guarda_antes_y_despues(demo, client):
    linea = agregar()
    client.force_login(usuario("requirente.sh"))
    url = reverse("planeacion:linea", args=[linea.pk])
    assert 'value="Switches de acceso"' in client.get(url).content.decode()
    r = client.post(url, {**BUENA, "categoria": "punto-acceso", "perfil": "acceso"})
    assert r.status_code == 400
    assert "«acceso» no es un perfil de Punto de acceso inalámbrico" in r.content.decode()
    r = client.post(url, {**BUENA, "categoria": "punto-acceso", "perfil": "", "mes": "4"})
    assert r.status_code == 302
    linea.refresh_from_db()
    assert (linea.categoria, linea.perfil, linea.mes_previsto) == ("punto-acceso", "", 4)
    evento = EventoAuditoria.objects.get(tipo="programa_linea_corregida")
    assert evento.datos["antes"]["categoria"] == "switch"
    assert evento.datos["despues"]["categoria"] == "punto-acceso"


def test_retirar_una_linea_deja_de_contar_en_pronostico_y_recordatorios(demo, client):
    linea = agregar({**BUENA, "mes": str(MES)})
    assert pronostico.pronostico(anio=ANIO)["meses"][MES - 1]["planeadas"] == 1
    assert list(planeacion.lineas_por_recordar()) == [linea]
    client.force_login(usuario("requirente.sh"))
    url = reverse("planeacion:linea_retirar", args=[linea.pk])
    assert "Retirar la línea" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not LineaPrograma.objects.exists()
    assert pronostico.pronostico(anio=ANIO)["meses"][MES - 1]["planeadas"] == 0
    assert list(planeacion.lineas_por_recordar()) == []
    evento = EventoAuditoria.objects.get(tipo="programa_linea_retirada")
    assert evento.datos["columnas"]["descripcion"] == "Switches de acceso"
    assert evento.datos["linea"] == linea.pk


def test_una_linea_vinculada_a_una_solicitud_presentada_no_cambia(demo, client):
    linea = agregar({**BUENA, "categoria": "computadora-escritorio", "perfil": ""})
    solicitud = presentada(areas=("computo",))
    linea.refresh_from_db()
    assert linea.solicitud == solicitud
    mensaje = f"ya está vinculada a la solicitud {solicitud.folio}, presentada"
    with pytest.raises(ValidationError, match=mensaje):
        planeacion.linea_corregir(linea=linea, usuario=usuario("requirente.sh"), datos=BUENA)
    with pytest.raises(ValidationError, match=mensaje):
        planeacion.linea_retirar(linea=linea, usuario=usuario("requirente.sh"))
    client.force_login(usuario("requirente.sh"))
    for url in (
        reverse("planeacion:linea", args=[linea.pk]),
        reverse("planeacion:linea_retirar", args=[linea.pk]),
    ):
        assert mensaje in client.get(url).content.decode()
        r = client.post(url, BUENA)
        assert r.status_code == 409
        assert mensaje in r.content.decode()
    linea.refresh_from_db()
    assert linea.categoria == "computadora-escritorio"
    assert not EventoAuditoria.objects.filter(tipo__startswith="programa_linea_").exclude(
        tipo="programa_linea_agregada"
    )


def test_solo_los_requirentes_del_propio_ente(demo, client):
    linea = agregar()
    with pytest.raises(PermissionDenied):
        planeacion.linea_corregir(linea=linea, usuario=usuario("requirente.rc"), datos=BUENA)
    with pytest.raises(PermissionDenied):
        planeacion.linea_retirar(linea=linea, usuario=usuario("mesa"))
    with pytest.raises(PermissionDenied):
        planeacion.linea_agregar(
            ente=linea.programa.ente, ejercicio=ANIO, usuario=usuario("requirente.rc"), datos=BUENA
        )
    urls = [
        reverse("planeacion:linea", args=[linea.pk]),
        reverse("planeacion:linea_retirar", args=[linea.pk]),
    ]
    client.force_login(usuario("requirente.rc"))  # another agency's line: as if it did not exist
    assert {client.get(u).status_code for u in urls} == {404}
    assert {client.post(u, BUENA).status_code for u in urls} == {404}
    for interno in ("mesa", "revisor.redes", "estrategico", "firmante", "auditor", "admin"):
        client.force_login(usuario(interno))
        urls_todas = [*urls, reverse("planeacion:linea_nueva")]
        assert {client.get(u).status_code for u in urls_todas} == {403}, interno
        assert {client.post(u, BUENA).status_code for u in urls_todas} == {403}, interno
    client.logout()
    assert client.post(urls[1]).status_code == 302  # to the sign-in page
    assert LineaPrograma.objects.filter(pk=linea.pk, descripcion="Switches de acceso").exists()


def _linea(perfil, mes):
    return agregar({**BUENA, "categoria": "computadora-escritorio", "perfil": perfil, "mes": mes})


def test_la_solicitud_se_vincula_por_perfil_antes_que_por_categoria(demo):
    perfil = perfil_de_area("computo")  # the profile of the request's item
    otro = perfil.categoria.perfiles.exclude(pk=perfil.pk).first()
    lejos = (MES + 5) % 12 + 1
    # Nearest this month but for another profile; a profile-less line; the item's own profile.
    _linea(otro.clave, str(MES))
    sin_perfil = _linea("", str(lejos))
    propia = _linea(perfil.clave, str(lejos))
    assert presentada(areas=("computo",)).linea_programa == propia
    # Then a line that names no profile, before one planned for another profile.
    assert presentada(areas=("computo",), titulo="Segunda").linea_programa == sin_perfil
    # And by category when nothing better is left.
    tercera = presentada(areas=("computo",), titulo="Tercera")
    assert tercera.linea_programa.perfil == otro.clave
    assert tercera.planeada is True


def test_la_linea_se_agrega_al_programa_del_anio_y_aparece_en_la_pagina(demo, client):
    agregar(ejercicio=ANIO + 1)
    client.force_login(usuario("requirente.sh"))
    html = client.get(reverse("planeacion:programa")).content.decode()
    assert f"Programa {ANIO + 1}" in html
    assert "switch · acceso" in html
    assert "Corregir" in html and "Retirar" in html
