from django.urls import path

from seemix.gazetteer import views

app_name = "gazetteer"

urlpatterns = [
    path("", views.index, name="index"),
    path("crossing-points/", views.crossing_points, name="crossing-points"),
    path("sites/", views.sites, name="sites"),
    path("route/", views.routes, name="routes"),
    path("map/", views.region_map, name="map"),
]
