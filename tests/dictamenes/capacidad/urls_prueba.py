"""The site's URLs plus a stand-in for «Capacidad para el cierre» (name capacidad:cierre, at
/capacidad/), for the warning's tests while the page (helper C, issue 50) is not on main yet:
the e-mail only needs the address. Remove it, and its use in test_aviso.py, once it is."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as sitio

cierre = ([path("", lambda request: HttpResponse(), name="cierre")], "capacidad")
urlpatterns = [*sitio, path("capacidad/", include(cierre))]
