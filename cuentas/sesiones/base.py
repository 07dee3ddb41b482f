"""What both engines change of Django's database store: each read, write, existence check
and deletion of a row goes by the `huella` of the key, never by the key."""

import logging

from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from cuentas.sesiones import huella


class ConHuella:
    """Put before Django's db (or cached_db) SessionStore. `session_key` stays the cookie's
    key; only what is stored or looked up changes."""

    def _sin_fila(self, exc):
        # As Django's own: a suspicious key is logged, and the session starts empty.
        if isinstance(exc, SuspiciousOperation):
            logger = logging.getLogger(f"django.security.{exc.__class__.__name__}")
            logger.warning(str(exc))
        self._session_key = None

    def _get_session_from_db(self):
        try:
            return self.model.objects.get(
                session_key=huella(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as exc:
            self._sin_fila(exc)

    async def _aget_session_from_db(self):
        try:
            return await self.model.objects.aget(
                session_key=huella(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as exc:
            self._sin_fila(exc)

    def create_model_instance(self, data):
        fila = super().create_model_instance(data)
        fila.session_key = huella(fila.session_key)
        return fila

    async def acreate_model_instance(self, data):
        fila = await super().acreate_model_instance(data)
        fila.session_key = huella(fila.session_key)
        return fila

    # Django's exists() and delete() take the key as stored (and cached_db's the cache's
    # suffix): handed the huella, they look up the row (and the cache entry) this store wrote.
    def exists(self, session_key):
        return bool(session_key) and super().exists(huella(session_key))

    async def aexists(self, session_key):
        return bool(session_key) and await super().aexists(huella(session_key))

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key:
            super().delete(huella(session_key))

    async def adelete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key:
            await super().adelete(huella(session_key))
