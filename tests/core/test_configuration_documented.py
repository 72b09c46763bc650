"""README "Configuration" lists every environment variable the settings read (issue 10, Deployment)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_variable_the_settings_read_is_in_the_readme():
    source = (ROOT / "dutydesk" / "settings.py").read_text()
    read = set(re.findall(r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    if "dj_database_url.config(" in source:
        read.add("DATABASE_URL")  # dj-database-url reads it
    assert {"DATABASE_URL", "DUTYDESK_SECRET_KEY", "DUTYDESK_CSRF_TRUSTED_ORIGINS", "DUTYDESK_BROKER_URL"} <= read
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Configuration"):]
    section = section[:section.find("\n## ", 3) if "\n## " in section[3:] else None]
    assert not sorted(name for name in read if f"`{name}`" not in section)
