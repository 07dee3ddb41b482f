"""SESSION_ENGINE: sessions in the database, each row under the huella of its key."""

from django.contrib.sessions.backends import db

from cuentas.sesiones.base import ConHuella


class SessionStore(ConHuella, db.SessionStore):
    pass
