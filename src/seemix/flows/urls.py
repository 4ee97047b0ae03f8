from django.urls import path

from seemix.flows import views

app_name = "flows"
urlpatterns = [
    path("status/", views.reporting_status, name="status"),
]
