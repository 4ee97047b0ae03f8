app_name = "situation"

urlpatterns: list = []

# Alerts, timelines and capacity pages (helper situation-timelines).
from django.urls import path  # noqa: E402

from seemix.situation import views_alerts, views_timelines  # noqa: E402

urlpatterns += [
    path("alerts/", views_alerts.alerts_page, name="alerts"),
    path("alerts/<int:alert_id>/<str:action>/", views_alerts.alert_action, name="alert-action"),
    path("timelines/", views_timelines.timelines_page, name="timelines"),
    path("capacity/", views_timelines.capacity_page, name="capacity"),
]

# The picture of a day, a country, a border section (helper situation-picture).
from seemix.situation import views as picture_views  # noqa: E402

urlpatterns += [
    path("", picture_views.picture, name="picture"),
    path("country/<str:code>/", picture_views.country, name="country"),
    path("border-section/<str:code>/", picture_views.border_section, name="border_section"),
]

# What a measure would do along the route (helper simulate).
from seemix.situation import views_scenarios  # noqa: E402

urlpatterns += [
    path("measures/<int:pk>/simulate/", views_scenarios.simulate_measure_page, name="simulate-measure"),
]
