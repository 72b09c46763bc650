"""Masks for personal data shown to readers without the right to the full value (shared/API.md "Auth and limits")."""


def mask_id_number(value: str) -> str:
    """``440304199001011234`` → ``440304********1234``: enough to recognise a person, not to impersonate one."""
    value = (value or "").strip()
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str) -> str:
    """``13912345678`` → ``139****5678``."""
    value = (value or "").strip()
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}" if len(value) > 7 else "*" * len(value)


def mask_name(value: str) -> str:
    """``李四`` → ``李*``."""
    value = (value or "").strip()
    return value[:1] + "*" * (len(value) - 1) if value else ""


def mask_email(value: str) -> str:
    """``zhang.san@example.com`` → ``z***@example.com``."""
    name, at, domain = (value or "").partition("@")
    return f"{name[:1]}***{at}{domain}" if value else ""

