"""The pages of the web edge itself: the home page (a resident goes on to the portal)."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dutydesk.org import access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if access.is_resident(request.user):
        return redirect("portal:home")
    return render(request, "core/home.html", {"holdings": access.holdings(request.user)})
