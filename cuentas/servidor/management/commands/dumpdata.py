"""Django's `dumpdata`, with the house's doors (issue 93, item 2). A probe with production's
settings printed every live session key with `dumpdata sessions` (pasted as the cookie, one
opened the site as another administrator) and every password hash with `dumpdata auth.user`,
with no name and no event.

In production (DICTAMENES_COMANDOS_CON_NOMBRE), or wherever a name is given:
- it requires --usuario, an active administrator of the machine's login, and every run that
  writes leaves an event naming her, with what it wrote per model, what it left out and where
  it wrote (the standard output or the file of -o), in its own transaction once the dump ends;
- a model of con_nombre.NO_SE_VUELCAN (sessions, API tokens, second factors, lockout records,
  the identity provider's tokens and secrets) asked for by name, or an app made only of them,
  is refused before anything is written; inside an app or the whole database (no label) their
  objects are left out, and the operator is told on the error output;
- an account's password is written as con_nombre.MARCA_CONTRASENA, unusable: an operator who
  dumps the accounts gets them (names, e-mails, groups, whether active), and loaded elsewhere
  nobody signs in with them until a password is set; a hash is never written.

Every object Django's own command picks (labels, -e, --pks, --natural-*, --all, proxies,
children of another model) passes one filter on its way to the serializer, so no option
reaches around it: Django's module reads `serializers.serialize` at call time, and for the
length of the run it reads it through the filter (`_filtrando`). `respaldo` dumps everything
through here (RESPALDANDO): a restore needs the hashes, and the backup file is the secret.
Off, with no name (development, the demo, the suite), it is Django's."""

from collections import Counter
from contextlib import contextmanager

from django.apps import apps
from django.core import serializers
from django.core.management.base import CommandError
from django.core.management.commands import dumpdata
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cuentas.servidor.con_nombre import (
    MARCA_CONTRASENA,
    ConNombre,
    no_se_vuelca,
    operador,
    respaldando,
    se_redacta,
)

ERROR_NO_SE_VUELCA = _(
    "En producción «dumpdata» no escribe %(modelo)s (%(que)s): con eso se entra al sistema "
    "a nombre de otra persona. Un respaldo completo se hace con «respaldo». No se escribió "
    "nada."
)
SALIDA_ESTANDAR = "la salida estándar"


class _SerializadoresFiltrados:
    """django.core.serializers as Django's dumpdata sees it during one run: every object goes
    through `filtro` before the serializer writes it; the rest is the module's own."""

    def __init__(self, filtro):
        self._filtro = filtro

    def __getattr__(self, nombre):
        return getattr(serializers, nombre)

    def serialize(self, formato, objetos, **opciones):
        return serializers.serialize(formato, self._filtro(objetos), **opciones)


@contextmanager
def _filtrando(filtro):
    # One command at a time in a process: the module's name is ours only while this runs.
    previo = dumpdata.serializers
    dumpdata.serializers = _SerializadoresFiltrados(filtro)
    try:
        yield
    finally:
        dumpdata.serializers = previo


def secretos_pedidos_rechazar(etiquetas) -> None:
    """A secret model asked for by name, or an app of nothing else: refused before anything
    is written. Labels Django does not know are left to its own error."""
    for etiqueta in etiquetas:
        try:
            if "." in etiqueta:
                modelos = [apps.get_model(etiqueta)]
            else:
                modelos = list(apps.get_app_config(etiqueta).get_models())
        except (LookupError, ValueError):
            continue
        secretos = [m for m in modelos if no_se_vuelca(m)]
        if secretos and len(secretos) == len(modelos):
            modelo = secretos[0]
            raise CommandError(
                str(
                    ERROR_NO_SE_VUELCA % {"modelo": modelo._meta.label, "que": no_se_vuelca(modelo)}
                )
            )


class Command(ConNombre, dumpdata.Command):
    help = (
        "Escribe datos de la base como archivo de datos (fixture). En producción pide "
        "--usuario y queda en la auditoría; nunca escribe sesiones, tokens, segundo factor, "
        "bloqueos ni secretos del proveedor de identidad, y las contraseñas salen inservibles."
    )

    def handle(self, *app_labels, **options):
        if respaldando():
            return dumpdata.Command.handle(self, *app_labels, **options)
        por = operador(options)
        if por is None:
            return dumpdata.Command.handle(self, *app_labels, **options)
        secretos_pedidos_rechazar(app_labels)
        self.etiquetas = app_labels
        self.volcados, self.omitidos, self.redactados = Counter(), Counter(), Counter()
        self.empezado = self.completo = False
        try:
            with _filtrando(self._filtrar):
                resultado = dumpdata.Command.handle(self, *app_labels, **options)
            self.completo = True
        finally:
            # Whatever reached the output is on the record, a run cut short included.
            if self.empezado:
                with transaction.atomic():
                    self.auditar(por=por, options=options)
        self._avisar()
        return resultado

    def _filtrar(self, objetos):
        self.empezado = True
        for objeto in objetos:
            modelo = type(objeto)
            etiqueta = modelo._meta.label_lower
            if no_se_vuelca(modelo):
                self.omitidos[etiqueta] += 1
                continue
            if se_redacta(modelo):
                # This instance only, on its way to the output; nothing is saved.
                objeto.password = MARCA_CONTRASENA
                self.redactados[etiqueta] += 1
            self.volcados[etiqueta] += 1
            yield objeto

    def _avisar(self) -> None:
        if self.omitidos:
            self.stderr.write(
                "No se escribieron (producción): "
                + "; ".join(
                    f"{n} de {m} ({no_se_vuelca(apps.get_model(m))})"
                    for m, n in sorted(self.omitidos.items())
                )
                + "."
            )
        if self.redactados:
            self.stderr.write(
                f"Las contraseñas de {sum(self.redactados.values())} cuentas se escribieron como "
                f"«{MARCA_CONTRASENA}», que no sirve para entrar."
            )

    def _salida(self, options) -> str:
        return f"«{options['output']}»" if options.get("output") else SALIDA_ESTANDAR

    def descripcion(self, *, por, options):
        texto = (
            f"{por.username} volcó en el servidor con dumpdata {sum(self.volcados.values())} "
            f"objetos a {self._salida(options)}"
        )
        if self.redactados:
            texto += f"; contraseñas redactadas: {sum(self.redactados.values())}"
        if self.omitidos:
            texto += f"; secretos omitidos: {sum(self.omitidos.values())}"
        return texto + ("" if self.completo else "; no terminó")

    def datos(self, *, options):
        return {
            **super().datos(options=options),
            "etiquetas": list(self.etiquetas),
            "salida": options.get("output") or "",
            "modelos": dict(sorted(self.volcados.items())),
            "omitidos": dict(sorted(self.omitidos.items())),
            "redactados": dict(sorted(self.redactados.items())),
            "completo": self.completo,
        }
