def test_the_manager_may_use_the_admin_and_the_front_desk_may_not(client, staff):
    staff["manager"].is_staff = True
    staff["manager"].save()
    client.force_login(staff["manager"])
    assert client.get("/admin/org/post/").status_code == 200
    assert client.get("/admin/archive/resident/").status_code == 200
    staff["frontdesk"].is_staff = True
    staff["frontdesk"].save()
    client.force_login(staff["frontdesk"])
    assert client.get("/admin/org/post/").status_code == 403
