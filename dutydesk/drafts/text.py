"""Text in, lines out: reading an upload (.txt in UTF-8/UTF-16/GB18030, or .docx with its tables), refusing junk,
and normalising each line for the rules (traditional → simplified, full-width → half-width, the pinyin glosses some
copied documents carry: 職責(zé)). The line numbers are the source's own, so a reviewer can open the file there."""
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _

from dutydesk.core.excel import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS

MAX_ITEM_CHARS = 1_000  # shared/API.md "Imports": cells ≤ 1,000 characters; a longer sentence is cut there


class TextRefused(Exception):
    """The input cannot be read as a job description; ``str(exc)`` says why (translated)."""


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as in the source file
    text: str  # normalised: simplified, half-width, no pinyin glosses, trimmed
    raw: str  # the source line as it was (for the reviewer)


# -- reading -------------------------------------------------------------------------------------------------------

def read_upload(data: bytes, *, filename: str = "") -> str:
    """The text of an upload: a .docx (recognised by content: a zip with word/document.xml) or plain text."""
    if len(data) > MAX_IMPORT_BYTES:
        raise TextRefused(_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if data[:4] == b"PK\x03\x04":
        return _docx_text(data)
    return decode_text(data)


def decode_text(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (Windows Chinese). Bytes that are
    none of these, or that decode to control characters, are refused: a draft is never made of junk."""
    if len(data) > MAX_IMPORT_BYTES:
        raise TextRefused(_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        check_text(text)
        return text
    raise TextRefused(_("The file is not text (UTF-8, GB18030 or UTF-16) nor a Word .docx document."))


def check_text(text: str) -> None:
    """Refuse text that no person wrote: NUL bytes, control characters, unassigned code points."""
    if not text.strip():
        raise TextRefused(_("The text is empty."))
    if len(text.encode("utf-8", errors="replace")) > MAX_IMPORT_BYTES:
        raise TextRefused(_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if text.count("\n") + 1 > MAX_IMPORT_ROWS:
        raise TextRefused(_("The text has more than %(rows)s lines.") % {"rows": f"{MAX_IMPORT_ROWS:,}"})
    sample = text[:200_000]
    bad = sum(1 for ch in sample if ch not in "\n\r\t" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    if "\x00" in text or bad > max(2, len(sample) // 200):
        raise TextRefused(_("The file is not text (UTF-8, GB18030 or UTF-16) nor a Word .docx document."))


TABLE_LABELS = ("岗位名称", "職位名稱", "职位名称", "崗位名稱", "直接上级", "直接上級", "直接下级", "直接下級", "所属部门",
                "所屬部門", "部门", "工作职责", "工作職責", "岗位职责", "崗位職責", "任职资格", "任職資格")


def _docx_text(data: bytes) -> str:
    """Paragraphs and tables of a .docx in document order. A table row of label and value cells
    (岗位名称 | 客服主管 | 直接上级 | 客户服务经理) becomes "岗位名称:客服主管 直接上级:客户服务经理"; a multi-line cell
    (工作职责) gives its label on one line and each of its lines after it."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > 12 * MAX_IMPORT_BYTES:
                raise TextRefused(_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
        document = Document(io.BytesIO(data))
    except TextRefused:
        raise
    except Exception:  # a zip that is not a Word document (an .xlsx, a damaged file): python-docx raises many kinds
        raise TextRefused(_("The file is not text (UTF-8, GB18030 or UTF-16) nor a Word .docx document."))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.extend(block.text.splitlines() or [""])
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    text = "\n".join(lines)
    check_text(text)
    return text


def _table_lines(table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # a merged cell repeats in every column it spans
            value = cell.text.strip()
            if not cells or value != cells[-1]:
                cells.append(value)
        inline: list[str] = []
        index = 0
        while index < len(cells):
            cell = cells[index]
            label = cell.rstrip(":：").strip()
            if label in TABLE_LABELS and index + 1 < len(cells):
                value = cells[index + 1]
                if "\n" in value:
                    if inline:
                        lines.append(" ".join(inline))
                        inline = []
                    lines.append(f"{label}:")
                    lines.extend(part for part in value.splitlines() if part.strip())
                else:
                    inline.append(f"{label}:{value}")
                index += 2
            else:
                if cell:
                    inline.extend(cell.splitlines())
                index += 1
        if inline:
            lines.append(" ".join(inline))
    return lines


# -- normalising ----------------------------------------------------------------------------------------------------

_PINYIN_GLOSS = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
# seed 004 writes 少于 / 于 (traditional 於 is rarer); characters zhconv leaves or that differ by region
_EXTRA = str.maketrans({"瞭": "了", "著": "着", "裏": "里", "臵": "置", "－": "-", "～": "~", "﹑": "、"})


@cache
def _zhconv():
    import zhconv  # imported on first use: its dictionary takes a moment to load

    return zhconv


def simplified(text: str) -> str:
    """Traditional characters to simplified (zhconv's zh-hans table: characters and common words, no regional
    vocabulary), so 轉名 is 转名 and 鐘 is 钟 before any rule reads them."""
    if text.isascii():
        return text
    return _zhconv().convert(text, "zh-hans")


def normalise(text: str) -> str:
    """The form the rules read: simplified, NFKC (full-width digits, letters and ：（），; become ASCII), pinyin glosses
    dropped, runs of spaces made one."""
    text = unicodedata.normalize("NFKC", simplified(text)).translate(_EXTRA)
    text = _PINYIN_GLOSS.sub("", text).replace("(—)", "(一)").replace("(-)", "(一)")  # 001 and 002 number (—)、
    return _SPACES.sub(" ", text).strip()


def split_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Line(number, normalise(raw), raw.rstrip()) for number, raw in enumerate(text.split("\n"), start=1)]


_DISPLAY = str.maketrans({",": "，", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})


def display(text: str) -> str:
    """A normalised sentence as a catalogue shows it: Chinese punctuation, a colon full-width except in a time
    (17:00), no trailing separator."""
    text = text.strip().strip(";；,，、").strip()
    text = text.translate(_DISPLAY)
    text = re.sub(r"(?<!\d):|:(?!\d)", "：", text)
    return text


def name_key(name: str) -> str:
    """How names are compared: normalised, no spaces or brackets' width differences, no trailing colon."""
    return re.sub(r"\s+", "", normalise(name)).rstrip(":").replace("（", "(").replace("）", ")")


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """12, 十二, 二十, 两 → int (up to 999); None when it is not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


# -- words (jieba) ---------------------------------------------------------------------------------------------------

@cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """Chinese words of a phrase (jieba's precise mode), spaces dropped."""
    return [w for w in _jieba().lcut(text) if w.strip()]


def pinyin_slug(text: str, *, limit: int = 40) -> str:
    """A slug from a Chinese name: jieba's words, each in toneless pinyin (客户服务经理 → kehufuwu-jingli); Latin letters
    and digits kept; empty when nothing is left."""
    from pypinyin import lazy_pinyin

    parts = []
    for word in words(normalise(text)):
        syllables = "".join(lazy_pinyin(word, errors=lambda chars: "".join(c for c in chars if c.isascii())))
        slug = re.sub(r"[^a-z0-9]+", "", syllables.lower())
        if slug:
            parts.append(slug)
    slug = "-".join(parts)[:limit].strip("-")
    return slug
