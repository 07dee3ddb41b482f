"""Conditional GETs for the open data and the public API (the addresses CORS opens).

Django's ConditionalGetMiddleware, only there: an answer without an ETag gets one from a hash
of its body, and a GET that names it in If-None-Match (or a Last-Modified not newer than
If-Modified-Since) is answered 304 with no body. The open-data views set their ETag and
Last-Modified before running (publico.views_datos), so they skip the work as well."""

import re

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware


class GetCondicionalMiddleware(ConditionalGetMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.rutas = re.compile(settings.CORS_URLS_REGEX)

    def process_response(self, request, response):
        if not self.rutas.match(request.path_info):
            return response
        return super().process_response(request, response)
