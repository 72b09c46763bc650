"""Browser-test helpers that work under the site's strict Content-Security-Policy."""
import time


def wait_until(page, expression: str, timeout: float = 15.0):
    """Poll ``expression`` (a JavaScript expression) until it is truthy. Playwright's ``wait_for_function`` evaluates
    a string with ``new Function`` inside the page, which the CSP (no unsafe-eval) refuses; ``page.evaluate`` runs
    through the DevTools protocol and is not affected."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(f"() => {expression}")
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)
