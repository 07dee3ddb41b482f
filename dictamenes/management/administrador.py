"""Who a server command acts for (issue 59, item 3). A command that changes a rule, a person or
a text names, with `--usuario USERNAME`, the active administrator in whose name it asks the
change: the change waits in «Cambios por aprobar» like one asked on the pages, and its audit
events name that person. There is no default: the first administrator found once acted for
whoever ran the command, and an event with no user at all was possible.

The check is the one of the pages (organizacion.selectors.usuarios.administra_roles): an
active account with the Administrador role, or a superuser.

`--usuario` is only what was typed (issue 93, item 3): it must also be a person of the
machine's login that runs the command (comun.operador_so), by DICTAMENES_OPERADORES (the
environment's DJANGO_OPERADORES, «ana=ana.lopez,root=admin»). With production's switch
(DICTAMENES_COMANDOS_CON_NOMBRE) a login absent from the map names nobody; elsewhere only the
logins the map lists are checked. Every command with --usuario goes through here, `restaurar
--forzar` and the house's changepassword, createsuperuser and drf_create_token included."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.operador_so import operador_so_leer, operador_so_vigente
from dictamenes.organizacion.selectors.usuarios import administra_roles

ERROR_SIN_USUARIO = _(
    "Indique con --usuario USUARIO a la persona administradora en cuyo nombre se pide el "
    "cambio: queda a su nombre en la auditoría. No se escribió nada."
)
ERROR_NO_ADMINISTRADOR = _(
    "«%(usuario)s» no es una persona administradora activa. No se escribió nada."
)
ERROR_NO_ES_SU_LOGIN = _(
    "El usuario «%(login)s» de esta máquina (%(host)s) corre comandos a nombre de "
    "%(personas)s, no de «%(usuario)s» (DJANGO_OPERADORES): cada quien corre los comandos "
    "con su propio usuario de la máquina y su propio --usuario. No se escribió nada."
)
ERROR_LOGIN_FUERA_DEL_MAPA = _(
    "El usuario «%(login)s» de esta máquina (%(host)s) no está en DJANGO_OPERADORES: en "
    "producción cada comando con --usuario debe corresponder a quien entró a la máquina. "
    "Quien administra el servidor agrega a cada persona en /etc/dictamenes/dictamenes.env, "
    "p. ej. DJANGO_OPERADORES=%(login)s=%(usuario)s (usuario de la máquina=usuario del "
    "sistema, separados por comas), y se corre el comando otra vez. No se escribió nada."
)


def administrador_activo(*, usuario: str | None):
    """The account of `usuario`, if it is an active administrator; CommandError otherwise.
    Another administrator a command names (changepassword's --custodia), not its operator."""
    if not (usuario or "").strip():
        raise CommandError(str(ERROR_SIN_USUARIO))
    persona = get_user_model().objects.filter(username=usuario.strip()).first()
    if persona is None or not administra_roles(usuario=persona):
        raise CommandError(str(ERROR_NO_ADMINISTRADOR % {"usuario": usuario.strip()}))
    return persona


def operador_comprobar(*, usuario: str) -> None:
    """`usuario` (a username) against the machine's login that runs the command and
    DICTAMENES_OPERADORES; CommandError if it is not one of that login's people."""
    maquina = operador_so_vigente() or operador_so_leer()
    personas = settings.DICTAMENES_OPERADORES.get(maquina["login"])
    if personas is None:
        if settings.DICTAMENES_COMANDOS_CON_NOMBRE:
            raise CommandError(
                str(
                    ERROR_LOGIN_FUERA_DEL_MAPA
                    % {"login": maquina["login"], "host": maquina["host"], "usuario": usuario}
                )
            )
        return
    if usuario not in personas:
        raise CommandError(
            str(
                ERROR_NO_ES_SU_LOGIN
                % {
                    "login": maquina["login"],
                    "host": maquina["host"],
                    "personas": " o ".join(f"«{p}»" for p in personas),
                    "usuario": usuario,
                }
            )
        )


def administrador_del_comando(*, usuario: str | None):
    """The account of `--usuario`, if it is an active administrator and a person of the
    machine's login that runs the command; CommandError otherwise."""
    persona = administrador_activo(usuario=usuario)
    operador_comprobar(usuario=persona.username)
    return persona
