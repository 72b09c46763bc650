"""Who may do what with patrols: the patrol and inspection posts walk rounds, their supervisors also lay out routes
(property-cs.yaml grants); anyone else is refused (403), and a route or round of a project where the user holds no post
is not found (404), in the API and on the pages alike."""
import pytest

from dutydesk.patrols.models import Route


def test_posts_without_patrols_get_403_everywhere(staff, api, client, route, morning):
    for user in (staff["frontdesk"], staff["engineer"], staff["butler"]):
        rest = api(user)
        assert rest.get("/api/v1/patrols/routes/").status_code == 403
        assert rest.get("/api/v1/patrols/rounds/").status_code == 403
        assert rest.post(f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/P01", {"result": "ok"},
                         format="json").status_code == 403
        client.force_login(user)
        for path in ("/patrols/routes/", "/patrols/rounds/", f"/patrols/rounds/{morning.pk}/",
                     f"/patrols/routes/{route.pk}/qr/"):
            assert client.get(path).status_code == 403, (user.username, path)


def test_only_the_supervisors_lay_out_routes(patrollers, api, client, project):
    body = {"name": "试", "schedule": {"times": ["10:00"]}, "checkpoints": [{"code": "A", "name": "甲"}]}
    for username in ("officer", "cleaner"):
        assert api(patrollers[username]).post("/api/v1/patrols/routes/", body, format="json").status_code == 403
        client.force_login(patrollers[username])
        assert client.post("/patrols/routes/", {"name": "试", "times": "10:00", "checkpoints": "A 甲"}).status_code == 403
    assert not Route.objects.exists()


def test_a_viewer_who_may_not_walk_gets_403_on_a_record(staff, api, morning):
    """The customer-service manager reads the patrol reports (seeds/002_59da8478c28f7f86.txt:134) but does not walk."""
    rest = api(staff["manager"])
    assert rest.get(f"/api/v1/patrols/rounds/{morning.pk}").status_code == 200
    assert rest.post(f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/P01", {"result": "ok"},
                     format="json").status_code == 403


@pytest.mark.parametrize("username", ["officer", "envsup"])
def test_another_projects_routes_and_rounds_are_not_found(patrollers, api, client, elsewhere, username):
    user = patrollers[username]
    rest = api(user)
    other_route, other_round = elsewhere["route"], elsewhere["round"]
    assert rest.get(f"/api/v1/patrols/routes/{other_route.pk}").status_code == 404
    assert rest.get(f"/api/v1/patrols/rounds/{other_round.pk}").status_code == 404
    assert rest.post(f"/api/v1/patrols/rounds/{other_round.pk}/checkpoints/X1", {"result": "ok"},
                     format="json").status_code == 404
    assert rest.patch(f"/api/v1/patrols/routes/{other_route.pk}", {"active": False}, format="json").status_code in (
        403, 404)
    assert rest.get("/api/v1/patrols/routes/").json()["count"] == 0
    assert rest.post("/api/v1/patrols/routes/", {"project": elsewhere["project"].pk, "name": "越权",
                                                 "schedule": {"times": ["10:00"]},
                                                 "checkpoints": [{"code": "A", "name": "甲"}]},
                     format="json").status_code == 403
    client.force_login(user)
    for path in (f"/patrols/routes/{other_route.pk}/", f"/patrols/rounds/{other_round.pk}/",
                 f"/patrols/rounds/{other_round.pk}/checkpoints/X1/", f"/patrols/scan/{other_route.pk}/X1/",
                 f"/patrols/routes/{other_route.pk}/qr.pdf"):
        assert client.get(path).status_code == 404, path
    assert not other_round.checkpoints.exclude(result="").exists()
