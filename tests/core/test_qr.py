"""QR codes are encoded once per text and scale in a process (a route's cards repeat on every view)."""
from dutydesk.core.qr import qr_data_uri


def test_a_qr_code_is_encoded_once_and_kept():
    qr_data_uri.cache_clear()
    first = qr_data_uri("https://desk.example/patrols/routes/1/scan/CP-01/")
    again = qr_data_uri("https://desk.example/patrols/routes/1/scan/CP-01/")
    assert first.startswith("data:image/svg+xml") and again is first
    assert qr_data_uri.cache_info().hits == 1
    assert qr_data_uri("https://desk.example/patrols/routes/1/scan/CP-01/", scale=5) != first
