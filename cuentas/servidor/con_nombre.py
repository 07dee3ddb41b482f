"""Server commands that leave a name (issue 77, item 2).

An outside probe made `auditor` a superuser with `manage.py loaddata` and no audit event, and
found that `loaddata`, `flush`, `shell`, `dbshell` and the axes resets leave no name. With
DICTAMENES_COMANDOS_CON_NOMBRE (on in config.settings.production, off in development, the demo
and the suite, which load and empty their databases as Django does):

- `shell`, `dbshell` and the axes resets require `--usuario`, an active administrator
  (dictamenes.management.administrador), and write an event naming her, the command and its
  arguments; free code (`shell -c`, the client's parameters of `dbshell`) goes in as its length
  and SHA-256, never as text, since it may carry a password. A console cannot run inside a
  transaction, so its event is committed before it opens; a reset's event commits with it.
- `loaddata` refuses every object of the models below (people, roles, permissions, sessions,
  credentials, the procedure, its rules and its audit chain): a fixture writes its rows raw,
  around every door, check and event of the product. Anything else requires `--usuario` and
  is audited with what it loaded.
- `flush` refuses: it empties every table, the audit chain included, so no event could say
  who ran it. A whole installation is replaced with `restaurar --forzar --usuario`, which
  runs `flush` and `loaddata` itself (RESTAURANDO) and audits the replacement.
- `dumpdata` (issue 93, item 2) requires `--usuario` and leaves an event with what it wrote
  and where; it never writes what signs someone in (NO_SE_VUELCAN: sessions, API tokens,
  second-factor devices, lockout records, the identity provider's tokens and secrets, e-mail
  confirmation keys): asked for by name, it refuses; inside an app or the whole database, it
  leaves them out and says so. A password hash is written as an unusable marker
  (MARCA_CONTRASENA): the accounts come out, the means to sign in as them do not. `respaldo`
  dumps everything through it (RESPALDANDO): its file is the secret.

Every one of them names, beside `--usuario`, the machine's login that ran it
(dictamenes.comun.operador_so), and `--usuario` must be a person of that login
(DICTAMENES_OPERADORES, dictamenes.management.administrador).

A name given where the switch is off is still checked and audited.
"""

import hashlib
from fnmatch import fnmatchcase

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import transaction

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.management.administrador import administrador_del_comando
from dictamenes.management.commands.respaldo import RESPALDANDO
from dictamenes.management.commands.restaurar import RESTAURANDO

AYUDA_USUARIO = (
    "Usuario de la persona administradora que corre el comando (obligatorio en producción): "
    "queda a su nombre en la auditoría."
)

# What `loaddata` never loads in production, by app label and model (fnmatch on the label in
# lower case), and what of it in words. Whole apps: every table of the product has a door that
# checks and audits its writes, and the rest are people, access and their history.
# tests/cuentas/test_comandos_con_nombre.py checks that every model of the writers' map
# (config.escritores.CONTROLADOS) is here.
NO_SE_CARGAN = {
    "auth.*": "cuentas, roles y permisos",
    "contenttypes.*": "los tipos a los que apuntan los permisos",
    "authtoken.*": "credenciales de la API",
    "otp_*.*": "segundo factor",
    "guardian.*": "permisos por ente",
    "sessions.*": "sesiones abiertas",
    "account.*": "correos de las cuentas",
    "socialaccount.*": "cuentas del proveedor de identidad",
    "admin.*": "la bitácora del admin",
    "viewflow.*": "el proceso y los pasos de cada solicitud",
    "estandares.*": "los estándares técnicos y sus reglas",
    "dictamenes.*": "el trámite, sus reglas, sus personas y la cadena de auditoría",
}

# What `dumpdata` never writes in production, by app label and model (fnmatch on the label in
# lower case), and what of it in words: with any of them one signs in, passes the second factor,
# calls the API or the identity provider as someone else. A model that keeps sessions
# (AbstractBaseSession) is one wherever it lives. Nothing in the database signs a dictamen: the
# e.firma is held in memory while signing, the trust roots and SECRET_KEY live in files and in
# the environment.
NO_SE_VUELCAN = {
    "sessions.*": "sesiones abiertas",
    "authtoken.*": "tokens de la API",
    "otp_*.*": "dispositivos y claves del segundo factor",
    "axes.*": "intentos de entrada y bloqueos",
    "account.emailconfirmation": "claves de confirmación de correo",
    "socialaccount.socialtoken": "tokens del proveedor de identidad",
    "socialaccount.socialapp": "secretos de las aplicaciones del proveedor de identidad",
}
QUE_SESIONES = NO_SE_VUELCAN["sessions.*"]
# A password hash as `dumpdata` writes it: Django's unusable prefix, so that a dump loaded
# anywhere gives accounts nobody signs in to with a password until one is set.
MARCA_CONTRASENA = UNUSABLE_PASSWORD_PREFIX + "redactada-por-dumpdata"

# Options every command has, and ours: not what the command was asked to do.
_COMUNES = {
    "verbosity",
    "settings",
    "pythonpath",
    "traceback",
    "no_color",
    "force_color",
    "skip_checks",
    "usuario",
}


def con_nombre() -> bool:
    """Production's switch: the commands of this module require a name and refuse."""
    return settings.DICTAMENES_COMANDOS_CON_NOMBRE


def restaurando() -> bool:
    """Run by `restaurar`, which checks and audits the replacement itself."""
    return RESTAURANDO.get()


def respaldando() -> bool:
    """Run by `respaldo`, whose file must restore the accounts."""
    return RESPALDANDO.get()


def _linaje(modelo) -> tuple:
    return (modelo, modelo._meta.concrete_model, *modelo._meta.get_parent_list())


def no_se_vuelca(modelo) -> str:
    """What `modelo` holds, if `dumpdata` must not write it in production; "" otherwise. A
    proxy and a child are judged by their concrete model and every parent too."""
    for m in _linaje(modelo):
        if issubclass(m, AbstractBaseSession):
            return QUE_SESIONES
        for patron, que in NO_SE_VUELCAN.items():
            if fnmatchcase(m._meta.label_lower, patron):
                return que
    return ""


def se_redacta(modelo) -> bool:
    """Whether `dumpdata` writes this model's password as MARCA_CONTRASENA: any account model
    (AbstractBaseUser), Django's or another."""
    return issubclass(modelo, AbstractBaseUser)


def no_se_carga(modelo) -> str:
    """What `modelo` holds, if `loaddata` must not load it in production; "" otherwise. A
    proxy and a child are judged by their concrete model and every parent too."""
    for m in _linaje(modelo):
        etiqueta = m._meta.label_lower
        for patron, que in NO_SE_CARGAN.items():
            if fnmatchcase(etiqueta, patron):
                return que
    return ""


def huella(valor) -> dict:
    """Free code as the event keeps it: its length and SHA-256, never its text."""
    texto = valor if isinstance(valor, str) else "\0".join(map(str, valor))
    return {"caracteres": len(texto), "sha256": hashlib.sha256(texto.encode()).hexdigest()}


def argumentos_de(options: dict, *, ocultos: tuple[str, ...] = ()) -> dict:
    """What the command was asked: its own options (not every command's), the `ocultos` as
    their `huella`."""
    return {
        clave: huella(valor) if clave in ocultos and valor else valor
        for clave, valor in sorted(options.items())
        if clave not in _COMUNES
    }


def operador(options: dict):
    """The administrator of --usuario: required with the switch on; given, always checked.
    None: no name given where none is required."""
    usuario = options.get("usuario")
    if usuario is None and not con_nombre():
        return None
    return administrador_del_comando(usuario=usuario)


class ConNombre:
    """A command of Django's or a library's, with --usuario and its event. The subclass says
    what the event reads (`descripcion`) and whether the command opens a console (its event
    committed before it opens) or writes (its event in the same transaction)."""

    consola = False
    ocultos: tuple[str, ...] = ()

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--usuario", help=AYUDA_USUARIO)

    def descripcion(self, *, por, options: dict) -> str:
        raise NotImplementedError

    def datos(self, *, options: dict) -> dict:
        return {
            "comando": self.nombre_comando,
            "argumentos": argumentos_de(options, ocultos=self.ocultos),
        }

    def auditar(self, *, por, options: dict) -> None:
        evento_registrar(
            tipo="comando_servidor",
            descripcion=self.descripcion(por=por, options=options),
            usuario=por,
            datos=self.datos(options=options),
        )

    @property
    def nombre_comando(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]

    def handle(self, *args, **options):
        por = operador(options)
        if por is None:
            return super().handle(*args, **options)
        if self.consola:
            with transaction.atomic():
                self.auditar(por=por, options=options)
            return super().handle(*args, **options)
        with transaction.atomic():
            resultado = super().handle(*args, **options)
            self.auditar(por=por, options=options)
        return resultado
