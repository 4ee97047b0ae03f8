from django.urls import path

from seemix.measures import views

app_name = "measures"
urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("new/", views.new, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:recipient_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/notify/", views.notify, name="notify"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/update/", views.update, name="update"),
    path("<int:pk>/in-force/", views.bring_into_force, name="in-force"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/lift/", views.lift, name="lift"),
]
