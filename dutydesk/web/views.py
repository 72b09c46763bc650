"""The pages of the web edge itself: the home page (a resident goes on to the portal)."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dutydesk.core import panels
from dutydesk.org import access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if access.is_resident(request.user):
        return redirect("portal:home")
    # a group's manager holds a post in hundreds of projects, a butler on tens of floor ranges: the first few, and
    # how many more (the org chart names them all)
    holdings = access.holdings(request.user)
    return render(request, "core/home.html", {"holdings": holdings[:panels.HOME_PROJECTS],
                                              "more_holdings": max(len(holdings) - panels.HOME_PROJECTS, 0)})
