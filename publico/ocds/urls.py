from django.urls import path

from publico.ocds import views

urlpatterns = [
    path("extension/<str:archivo>", views.extension, name="ocds_extension"),
]
