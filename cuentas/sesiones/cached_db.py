"""SESSION_ENGINE: read from the shared cache, written through to the database; in both, the
session is found by the huella of its key: a dump of Redis holds no key either."""

from django.contrib.sessions.backends import cached_db

from cuentas.sesiones import huella
from cuentas.sesiones.base import ConHuella


class SessionStore(ConHuella, cached_db.SessionStore):
    # Not Django's prefix: an entry that Django's engine left under the key itself, before
    # this one, is never read.
    cache_key_prefix = "cuentas.sesiones."

    @property
    def cache_key(self):
        return self.cache_key_prefix + huella(self._get_or_create_session_key())

    async def acache_key(self):
        return self.cache_key_prefix + huella(await self._aget_or_create_session_key())
