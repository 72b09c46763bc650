"""Stored files are served only through permission checks, with debug on or off; uploads are recognised by content."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dutydesk.tickets import services
from tests.factories import ResidentFactory, UnitFactory, UserFactory

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def photo_ticket(staff, resident_user, unit, settings):
    ticket = services.ticket_create(actor=resident_user, unit=unit, kind="repair", title="漏水",
                                    files=[SimpleUploadedFile("leak.png", PNG, content_type="image/png")])
    return ticket, ticket.attachments.get()


@pytest.mark.parametrize("debug", [True, False])
def test_the_resident_and_staff_in_scope_see_the_photo_others_do_not(photo_ticket, staff, resident_user, building,
                                                                      settings, debug):
    settings.DEBUG = debug
    _ticket, attachment = photo_ticket
    url = attachment.file.url
    assert url.startswith("/files/tickets/")

    def get(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client.get(url)

    own = get(resident_user)
    assert own.status_code == 200 and b"".join(own.streaming_content) == PNG
    assert own["Content-Type"] == "image/png"
    assert get(staff["supervisor"]).status_code == 200
    neighbour = UserFactory(username="neighbour")
    ResidentFactory(unit=UnitFactory(building=building, floor=3, number="301"), user=neighbour, phone="13900000301")
    assert get(neighbour).status_code == 404
    assert get(None).status_code == 401


def test_no_path_leaves_the_media_folder_and_unknown_folders_are_not_served(staff):
    client = Client()
    client.force_login(staff["manager"])
    for path in ["/files/../settings.py", "/files/tickets/../../etc/passwd", "/files/other/x.png", "/files/x.png"]:
        assert client.get(path).status_code == 404, path


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(photo_ticket, resident_user, settings):
    settings.DUTYDESK_SENDFILE = "nginx"
    _ticket, attachment = photo_ticket
    client = Client()
    client.force_login(resident_user)
    response = client.get(attachment.file.url)
    assert response["X-Accel-Redirect"] == f"/protected-media/{attachment.file.name}"


def test_html_named_jpg_is_refused(staff, resident_user, unit):
    from dutydesk.core.errors import BusinessRuleError

    with pytest.raises(BusinessRuleError) as refused:
        services.ticket_create(actor=resident_user, unit=unit, kind="repair", title="x",
                               files=[SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>")])
    assert "files" in refused.value.errors


def test_a_real_pdf_and_a_heic_photo_are_accepted():
    from dutydesk.core.uploads import sniff

    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"\x00\x00\x00\x18ftypheic\x00\x00") == "heic"
    assert sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff(b"<!doctype html>") is None
