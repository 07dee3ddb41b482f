"""What the tests of the kept pages share (a page, or a fragment of it, rendered once per
version of the data and compared with the page rendered with no cache at all): a cache that
keeps nothing, and a page's HTML without the CSRF token that changes on every request."""

import re

SIN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def sin_csrf(html: str) -> str:
    return _CSRF.sub("csrf", html)
