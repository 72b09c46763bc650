"""Small helpers shared by the Excel imports (archive, meter readings)."""


def cell_text(value):
    """A cell as clean text: None -> "", 12.0 -> "12" (Excel stores whole numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
