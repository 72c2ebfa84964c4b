"""ZIP archives with the same bytes on every run: DOCX packages and the data download."""

from __future__ import annotations

import io
import zipfile

# Every entry is dated 1980-01-01 00:00 (ZIP's epoch), so an archive depends on its contents only.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def read_zip(data: bytes) -> dict[str, bytes]:
    """The entries of an archive, in their order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(entries: dict[str, bytes]) -> bytes:
    """An archive of `entries` in the given order, deflated, with fixed dates and modes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compresslevel=9)
    return out.getvalue()
