from django.urls import path

from seemix.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.deliveries, name="deliveries"),
    path("deliveries/<str:delivery_id>/resend/", views.resend, name="resend"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/rotate/", views.rotate, name="rotate"),
    path("webhooks/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
]
