"""Names kept in two languages (Chinese, and English where given): the one the reader's language asks for."""
from django.utils.translation import get_language


def bilingual(chinese: str, english: str | None) -> str:
    """``english`` when the active language is English and there is one, else ``chinese`` (the default language)."""
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese
