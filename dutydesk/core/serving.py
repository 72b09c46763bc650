"""Ready a server process before its first request: ``prepare_process()`` (called by ``dutydesk/wsgi.py``).

- The URLconf is loaded once here (0.9 s on the first request otherwise).
- The objects that live as long as the process (modules, the URLconf, settings, translation catalogues: about
  200,000) are moved out of the garbage collector's reach with ``gc.freeze()``. Otherwise every full collection
  walks them all: 65–75 ms on this project's 2-core machine, taken by whichever request happened to trigger it, which
  showed as single 120–180 ms outliers at p95 on pages whose median is 20–50 ms (scripts/bench_modules.py). Cyclic
  garbage made by requests is still collected; only what exists at start-up is no longer re-examined."""
import gc


def prepare_process() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's views and URL patterns now
    gc.collect()
    gc.freeze()
