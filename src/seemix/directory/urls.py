from django.urls import path

from seemix.directory import views

urlpatterns = [
    path("", views.home, name="home"),
]
