"""Settings for the test suite: the production settings with a test secret and fast hashing."""
import os

os.environ.setdefault("DUTYDESK_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DUTYDESK_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")

from dutydesk.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405  live-server threads must not keep test connections open
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # the test database is thrown away: do not wait for the WAL flush on every commit (transactional tests commit
    # and truncate a lot); durability is PostgreSQL's own and not under test here
    options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options["options"] = (options.get("options", "") + " -c synchronous_commit=off").strip()
WHITENOISE_AUTOREFRESH = True  # find a static file per request: scanning them all took 70 ms per test client
