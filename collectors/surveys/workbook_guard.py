"""The one way a survey workbook (.xlsx) is opened: size, zip members and XML judged before openpyxl reads it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from user_files import MB, SURVEY_MAX_BYTES, read_user_bytes

from .errors import SurveyError

ZIP_MAGIC = b"PK\x03\x04"
# A published survey workbook is a few MB unpacked (CNCF 2021 Part 2: 0.5 MB packed, 4 MB unpacked).
WORKBOOK_MAX_BYTES = 64 * MB
UNPACKED_MAX_BYTES = 256 * MB
MAX_RATIO = 200  # unpacked / packed per member: past this a member is a zip bomb, not a sheet
MAX_MEMBERS = 5_000
# An XML entity declaration is how a workbook blows up a parser (billion laughs); a sheet never needs one.
DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def is_workbook(path: Path, head: bytes) -> bool:
    """True when a file is to be read as a workbook: named .xlsx, or a zip archive holding `xl/workbook.xml`."""
    if path.suffix.casefold() == ".xlsx":
        return True
    if not head.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(read_user_bytes(path, WORKBOOK_MAX_BYTES))) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def workbook_bytes(path: Path) -> io.BytesIO:
    """The workbook's bytes, checked: a zip of XML members within the limits and with no entity declarations."""
    try:
        data = read_user_bytes(path, min(WORKBOOK_MAX_BYTES, SURVEY_MAX_BYTES))
    except OSError as error:
        raise SurveyError(path, f"cannot be read ({error.strerror or error})") from None
    if not data.startswith(ZIP_MAGIC):
        raise SurveyError(path, "is named .xlsx but is no Excel workbook (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_members(path, members)
            for member in members:
                if member.filename.endswith((".xml", ".rels")) and DOCTYPE.search(archive.read(member)):
                    raise SurveyError(path, f"declares XML entities in {member.filename}; such a workbook is not read")
    except SurveyError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise SurveyError(path, "is a damaged Excel workbook (its zip archive cannot be read)") from None
    return io.BytesIO(data)


def _check_members(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise SurveyError(path, f"holds {len(members):,} parts; a survey workbook has far fewer")
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise SurveyError(path, "is a zip archive but no Excel workbook (no xl/workbook.xml)")
    total = sum(member.file_size for member in members)
    if total > UNPACKED_MAX_BYTES:
        raise SurveyError(path, f"unpacks to {total // MB:,} MB; the limit is {UNPACKED_MAX_BYTES // MB} MB")
    for member in members:
        if member.file_size > MB and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise SurveyError(path, f"part {member.filename} unpacks {MAX_RATIO}+ times its size (a zip bomb)")
