from django.urls import path

from seemix.directory import views

# No namespace: "home" is the LOGIN_REDIRECT_URL of the settings.
urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.participants, name="participants"),
    path("directory/<str:code>/", views.participant, name="participant"),
]

urlpatterns += [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke-token"),
]
