from django.urls import path

from seemix.flows import views

app_name = "flows"
urlpatterns = [
    path("", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("grid/", views.grid_start, name="grid_start"),
    path("grid/<str:code>/<str:day>/", views.grid, name="grid"),
    path("upload/", views.upload, name="upload"),
    path("observations/", views.observations, name="observations"),
    path("observations/export", views.export, name="export"),
    path("status/", views.reporting_status, name="status"),
]
