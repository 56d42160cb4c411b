from allauth.account import views as allauth_views
from django.urls import path

from . import views

# The hub's own account pages; allauth's (sign-up, e-mail, password, confirmation) are included
# after these at the same prefix (seoulhub/urls.py), so /accounts/login/ is the rate-limited view.
app_name = "accounts"
urlpatterns = [
    path("login/", views.RateLimitedLoginView.as_view(), name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke-token"),
]
