import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from demo import usuarios as demo
from dictamenes.models import CambioPendiente
from dictamenes.operacion.services import configuracion
from estandares import exceptions, selectors, services
from estandares.models import Categoria, Publicacion, Requisito
from tests.estandares.conftest import EDICION_2024

pytestmark = pytest.mark.django_db


def test_ida_y_vuelta_exportar_e_importar_da_el_mismo_contenido(edicion_2024):
    exportado = selectors.publicacion_exportar(publicacion=edicion_2024)

    copia = services.publicacion_importar(texto=exportado, version="copia")
    reexportado = selectors.publicacion_exportar(publicacion=copia)

    assert reexportado == exportado.replace("version: '2024.1'", "version: copia")
    assert "monitor" in reexportado and "maximo: 27.5" in reexportado


def test_el_catalogo_demo_es_un_ejemplo_completo(areas):
    texto = demo.CATALOGO_ESTANDARES.read_text(encoding="utf-8")
    publicacion = services.publicacion_importar(texto=texto)

    assert "EJEMPLO" in publicacion.titulo
    assert "no reproduce el texto oficial" in publicacion.notas
    assert Categoria.objects.filter(publicacion=publicacion).count() >= 14
    requisitos = Requisito.objects.filter(perfil__categoria__publicacion=publicacion)
    assert requisitos.count() >= 60
    assert set(requisitos.values_list("tipo", flat=True)) == {
        "numero",
        "opcion",
        "booleano",
        "declaracion",
    }
    software = requisitos.filter(perfil__categoria__clave="desarrollo-software")
    nombres = " ".join(software.values_list("nombre", flat=True))
    for tema in ("código fuente", "WCAG 2.1", "centro de datos", "identidad", "seguridad"):
        assert tema.lower() in nombres.lower(), tema
    # The round trip holds for the demo file too.
    exportado = selectors.publicacion_exportar(publicacion=publicacion)
    copia = services.publicacion_importar(texto=exportado, version="copia-demo")
    assert selectors.publicacion_exportar(publicacion=copia).replace(
        "version: copia-demo", ""
    ) == exportado.replace(f"version: '{publicacion.version}'", "")


def errores_de(texto):
    with pytest.raises(exceptions.ImportacionError) as exc:
        services.publicacion_importar(texto=texto)
    assert not Publicacion.objects.exists(), "una importación fallida no deja nada"
    return exc.value.errores


def linea_de(texto, fragmento):
    return texto.splitlines().index(next(x for x in texto.splitlines() if fragmento in x)) + 1


def test_los_errores_nombran_la_linea_y_el_campo(areas):
    texto = (
        EDICION_2024.replace("minimo: 16", "minimo: dieciseis")
        .replace("area: software", "area: telepatia")
        .replace("opciones: [SSD, NVMe]", "opciones: [SSD]")
    )
    errores = errores_de(texto)

    assert (
        f"línea {linea_de(texto, 'minimo: dieciseis')}, campo «minimo»: debe ser un número"
        in errores
    )
    assert any(
        e.startswith(
            f"línea {linea_de(texto, 'area: telepatia')}, campo «area»: el área "
            "«telepatia» no existe"
        )
        for e in errores
    )
    assert (
        f"línea {linea_de(texto, 'opciones: [SSD]')}, campo «opciones»: "
        "Indique al menos dos opciones de texto." in errores
    )


def test_campo_desconocido_y_tipo_invalido(areas):
    texto = EDICION_2024.replace("tipo: declaracion", "tipo: adivinanza").replace(
        "ayuda: Diagonal visible.", "ayudita: Diagonal visible."
    )
    errores = errores_de(texto)
    assert any(
        e.startswith(f"línea {linea_de(texto, 'adivinanza')}, campo «tipo»") for e in errores
    )
    assert (
        f"línea {linea_de(texto, 'ayudita')}, campo «ayudita»: campo no reconocido en un "
        "requisito" in errores
    )


def test_yaml_roto_da_la_linea(areas):
    texto = EDICION_2024.replace("opciones: [SSD, NVMe]", "opciones: [SSD, NVMe")
    errores = errores_de(texto)
    assert len(errores) == 1
    assert errores[0].startswith("línea ")
    assert "no es YAML válido" in errores[0]


def test_version_existente_no_se_reimporta(edicion_2024):
    with pytest.raises(exceptions.ImportacionError) as exc:
        services.publicacion_importar(texto=EDICION_2024)
    assert "ya existe una edición con la versión 2024.1" in exc.value.errores[0]
    assert Publicacion.objects.count() == 1


def test_comandos_importar_publicar_y_exportar(areas, tmp_path):
    archivo = tmp_path / "edicion.yaml"
    archivo.write_text(EDICION_2024, encoding="utf-8")
    salida = io.StringIO()
    call_command(
        "estandares_importar", str(archivo), "--publicar", "--usuario", "admin", stdout=salida
    )
    lineas = salida.getvalue().splitlines()
    # Issue 59: --publicar asks for it; it is in force once a second administrator approves.
    cambio = CambioPendiente.objects.get(tipo="edicion", estado="pendiente")
    assert lineas[6:] == [
        "Edición 2024.1 importada (Borrador).",
        f"Publicación pedida (cambio n.º {cambio.pk}, a nombre de admin): nada tiene efecto "
        "hasta que otra persona administradora lo apruebe en «Cambios por aprobar» "
        "(/cuentas/cambios/).",
    ]
    configuracion.cambio_aprobar(cambio=cambio, por=get_user_model().objects.get(username="admin2"))
    assert Publicacion.objects.get().estado == Publicacion.Estado.VIGENTE
    # The progress, requirement by requirement (a log: no terminal here), and its summary.
    assert [re.sub(r"\), .+; ", "), …; ", linea) for linea in lineas[:5]] == [
        f"Estándares · requisitos: {n} de 5 ({20 * n:.1f} %), …; "
        f"correctos {n}, omitidos 0, con errores 0"
        for n in range(1, 6)
    ]
    assert lineas[5].startswith("Estándares: correctos 5, omitidos 0, con errores 0 en ")

    exportado = tmp_path / "exportado.yaml"
    call_command("estandares_exportar", "--edicion", "2024.1", "--salida", str(exportado))
    assert exportado.read_text(encoding="utf-8") == selectors.publicacion_exportar(
        publicacion=Publicacion.objects.get()
    )


def test_comando_importar_reporta_errores_en_espanol(areas, tmp_path):
    archivo = tmp_path / "malo.yaml"
    archivo.write_text(EDICION_2024.replace("minimo: 16", "minimo: mucho"), encoding="utf-8")
    salida = io.StringIO()
    with pytest.raises(CommandError, match=r"no se importó \(1 error\):") as exc:
        call_command("estandares_importar", str(archivo), stdout=salida)
    assert "campo «minimo»: debe ser un número" in str(exc.value)
    assert re.search(
        r"^Estándares: correctos 4, omitidos 0, con errores 1 en .+\. INTERRUMPIDO\.$",
        salida.getvalue(),
        re.MULTILINE,
    )
    assert not Publicacion.objects.exists()
