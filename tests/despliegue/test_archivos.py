"""The files of deploy/ as their own tools read them: nginx -t on the site, systemd-analyze
verify on the units, one timer for every periodic command, and an environment file that names
every setting production reads. Without nginx or systemd-analyze these tests skip with the
reason, and under CI=true the run fails (tests/backends/plugin.py)."""

import datetime
import re
import shutil
import subprocess

from django.conf import settings
from django.core.management import get_commands, load_command_class

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.operacion import periodicas
from tests.backends.plugin import skip_backend
from tests.despliegue import plantillas as p
from tests.despliegue.certificado import certificado_propio

# Commands a timer runs that are not UnaCorridaALaVez: checks and the backup.
OTROS_PERIODICOS = {"auditoria_verificar", "respaldo", "estado_del_sistema"}
# Periodic by nature, but another one's run already does its work.
SIN_TEMPORIZADOR = {"publicar_encuestas": "enviar_avisos la hace en cada corrida"}
# Read by the settings, but never set on a production server.
SOLO_DESARROLLO = {
    "DJANGO_CONFIANZA_LOCAL",  # the demo's TSA (make run, bench)
    "DJANGO_DIRECCION_LOCAL",  # make run's address
    "DJANGO_PERMITIR_DEMO",  # production.py forces it off
    "DJANGO_EMAIL_FILE_PATH",  # the two-server test's e-mail folder
}


def _systemd_analyze() -> str:
    programa = shutil.which("systemd-analyze")
    if programa is None:
        skip_backend("systemd-analyze: no está (paquete systemd)")
    return programa


def test_nginx_acepta_el_sitio(tmp_path):
    if p.nginx() is None:
        skip_backend("nginx: no está instalado (paquete nginx)")
    certificado, llave = certificado_propio(tmp_path)
    sitio = p.Sitio(tmp_path, 8443, 8080, certificado, llave, tmp_path / "static", tmp_path / "s")
    sitio.escribir()
    resultado = subprocess.run(sitio.orden("-t"), capture_output=True, text=True)
    assert resultado.returncode == 0, resultado.stderr
    assert "syntax is ok" in resultado.stderr and "[warn]" not in resultado.stderr, resultado.stderr


def _unidades(tmp_path):
    entorno = tmp_path / "dictamenes.env"
    entorno.write_text(p.ENTORNO.read_text(encoding="utf-8"), encoding="utf-8")
    respaldos = tmp_path / "respaldos"
    respaldos.mkdir()
    destino = tmp_path / "unidades"
    destino.mkdir()
    return p.unidades(destino, entorno=entorno, socket_=tmp_path / "s.sock", respaldos=respaldos)


def test_systemd_analyze_verify_acepta_cada_unidad(tmp_path):
    """verify loads each unit as systemd would (every key known and well formed, OnCalendar
    readable, every ExecStart an executable file) and says nothing when all is well; it needs
    no running systemd. --man=no: the units name no man pages; --generators=no: nothing of the
    machine's own configuration is read."""
    programa = _systemd_analyze()
    escritas = _unidades(tmp_path)
    resultado = subprocess.run(
        [programa, "verify", "--man=no", "--generators=no", *map(str, escritas)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert resultado.returncode == 0, resultado.stderr + resultado.stdout
    assert (resultado.stderr + resultado.stdout).strip() == ""


def _temporizadores() -> dict[str, str]:
    """{command: its timer's OnCalendar}, from the timer's name and the service it starts."""
    salida = {}
    for timer in sorted(p.UNIDADES.glob("*.timer")):
        servicio = (p.clave_valor(timer, "Unit") or [timer.with_suffix(".service").name])[0]
        instancia = re.fullmatch(r"(.+@)(.*)\.service", servicio)
        archivo = p.UNIDADES / (f"{instancia[1]}.service" if instancia else servicio)
        assert archivo.exists(), f"{timer.name} arranca {servicio}, que no está en deploy/"
        argumentos = p.exec_start(archivo)
        if instancia:
            argumentos = [a.replace("%i", instancia[2]) for a in argumentos]
        texto = " ".join(argumentos)
        comando = re.search(r"manage\.py (\w+)", texto)[1]
        (calendario,) = p.clave_valor(timer, "OnCalendar")
        salida[comando] = calendario
    return salida


def _periodicos() -> set[str]:
    """Every command that runs from a timer: the ones behind the lock of one run at a time
    across servers, and the checks and the backup."""
    periodicos = set(OTROS_PERIODICOS)
    for nombre, app in get_commands().items():
        if app in {"dictamenes", "flujos", "estandares"} and isinstance(
            load_command_class(app, nombre), UnaCorridaALaVez
        ):
            periodicos.add(nombre)
    return periodicos - set(SIN_TEMPORIZADOR)


def test_cada_comando_periodico_tiene_su_temporizador_y_cada_temporizador_un_comando():
    temporizadores = _temporizadores()
    comandos = get_commands()
    assert set(temporizadores) == _periodicos()
    # estado_del_sistema arrives with the operator's page (issue 49, 2).
    assert set(temporizadores) - {"estado_del_sistema"} <= set(comandos)


def _intervalo_mas_largo(calendario: str) -> datetime.timedelta:
    """The longest wait between two runs of a timer, over its next two weeks of runs."""
    resultado = subprocess.run(
        [_systemd_analyze(), "calendar", "--iterations=400", calendario],
        capture_output=True,
        text=True,
        check=True,
    )
    fechas = [
        datetime.datetime.strptime(" ".join(m.split()[1:3]), "%Y-%m-%d %H:%M:%S")
        for m in re.findall(r"(?:Next elapse|Iter\. #\d+): (.+)", resultado.stdout)
    ]
    return max(b - a for a, b in zip(fechas, fechas[1:], strict=False))


def test_cada_temporizador_corre_dentro_del_periodo_de_la_pagina_de_operacion():
    """The operator's page marks a periodic command overdue when it missed its period
    (dictamenes/operacion/periodicas.py, issue 49, 2): each timer runs at least that often.
    PERIODICAS is {command: timedelta} or items with .nombre and .periodo."""
    tabla = periodicas.PERIODICAS
    periodos = dict(tabla) if hasattr(tabla, "items") else {x.nombre: x.periodo for x in tabla}
    temporizadores = _temporizadores()
    assert set(periodos) <= set(temporizadores) | set(SIN_TEMPORIZADOR)
    for comando, periodo in periodos.items():
        if comando in temporizadores:
            intervalo = _intervalo_mas_largo(temporizadores[comando])
            assert intervalo <= periodo, (comando, intervalo, periodo)
    # The hours the page states are the timers' own (a daily one in the state's time zone).
    zona = p.variables(p.ENTORNO.read_text(encoding="utf-8"))["DJANGO_ZONA_HORARIA"][0]
    for periodica in tabla:
        if periodica.nombre in temporizadores:
            calendario = temporizadores[periodica.nombre].removesuffix(f" {zona}")
            assert calendario == periodica.calendario, periodica.nombre


def test_los_temporizadores_diarios_usan_la_zona_del_estado():
    zona = p.variables(p.ENTORNO.read_text(encoding="utf-8"))["DJANGO_ZONA_HORARIA"][0]
    for comando, calendario in _temporizadores().items():
        if re.search(r"\d\d:\d\d$|\d\d:\d\d ", calendario):
            assert calendario.endswith(f" {zona}"), (comando, calendario)


def test_el_entorno_de_ejemplo_nombra_cada_variable_que_lee_produccion():
    leidas = set()
    for modulo in (p.RAIZ / "config").rglob("*.py"):
        leidas |= set(re.findall(r'"((?:DJANGO|AWS)_[A-Z0-9_]+|DATABASE_URL)"', modulo.read_text()))
    ejemplo = p.variables(p.ENTORNO.read_text(encoding="utf-8"))
    # The identity providers have their own page in the operator's manual
    # (docs/operacion/identidad.md); the file names a few.
    faltan = {
        v
        for v in leidas - SOLO_DESARROLLO - set(ejemplo)
        if not v.startswith(("DJANGO_OIDC_", "DJANGO_LLAVE_"))
    }
    assert not faltan, sorted(faltan)
    assert ejemplo["DJANGO_SETTINGS_MODULE"] == ("config.settings.production", True)
    # What production refuses to start without, set.
    for obligatoria in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_URL_PUBLICA"):
        assert ejemplo[obligatoria][1], obligatoria
    # nginx is the one proxy in front: the address is the last of X-Forwarded-For.
    assert ejemplo["DJANGO_PROXIES"] == ("1", True)
    # No value the shell (deploy/manage) would read otherwise than systemd.
    for nombre, (valor, _) in ejemplo.items():
        assert not set(valor) & set("$`\\"), nombre
        assert " " not in valor or nombre in _citadas(p.ENTORNO), nombre


def _citadas(archivo) -> set[str]:
    return set(re.findall(r'^#?([A-Z0-9_]+)="', archivo.read_text(encoding="utf-8"), re.M))


def test_nginx_deja_pasar_el_anexo_mas_grande_con_su_formulario():
    """A file at the app's limit reaches the app, which tells its person in Spanish what
    weighs too much; nginx's own 413 page would say it in English."""
    (limite,) = re.findall(r"client_max_body_size (\d+)m;", p.SITIO.read_text(encoding="utf-8"))
    assert int(limite) >= settings.DICTAMENES_ANEXO_MAX_MB + 1
