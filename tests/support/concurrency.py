"""Real concurrency for the race tests (PostgreSQL only: SQLite serialises writers): ``in_threads(count, work)`` runs
``work(index)`` in ``count`` threads released together by a barrier, each on its own database connection;
``in_thread(work)`` starts one such thread and returns at once, for a test that steps two connections in turn."""
import threading
from collections.abc import Callable
from typing import Any


def in_threads(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[Exception]]:
    """(what the calls returned, what they raised) — the test asserts on both."""
    from django.db import connections

    barrier, errors, results = threading.Barrier(count), [], []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Start ``work()`` on its own connection; returns the thread and a dict that receives "result" or "error"."""
    from django.db import connections

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except Exception as exc:  # asserted by the test
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome
