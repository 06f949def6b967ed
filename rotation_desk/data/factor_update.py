"""Download the current Fama/French 5-factor files from the Data Library (``rotation-desk factors update``).

Both zip files (monthly and daily) are downloaded through curl_cffi (the HTTP
client yfinance already brings), each must hold one CSV that parses as a
factor file (data/factors.py) and reach at least as far as the bundled copy.
Only when both pass are they written, each atomically (data/atomic.py), as
the CSV exactly as published, into ``AppPaths.factors_dir``. A download that ends
before the factors in use (bundled or downloaded earlier) is refused. A failed update
changes nothing; the factors in use stay what they were.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rotation_desk.core.factor_model import FREQUENCIES
from rotation_desk.data.atomic import write_bytes
from rotation_desk.data.factors import (
    FILE_NAMES,
    LIBRARY,
    FactorFileError,
    ParsedFactors,
    bundled_factors,
    decode_text,
    load_factors,
    parse_factor_text,
    user_factor_file,
)
from rotation_desk.data.paths import AppPaths
from rotation_desk.errors import DataUnavailable

log = logging.getLogger(__name__)

BASE_URL = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/"
ZIP_NAMES = {
    "monthly": "F-F_Research_Data_5_Factors_2x3_CSV.zip",
    "daily": "F-F_Research_Data_5_Factors_2x3_daily_CSV.zip",
}
TIMEOUT = 60.0
MAX_BYTES = 50 * 1024 * 1024  # the daily zip is about 0.4 MB; anything this large is not it


@dataclass(frozen=True)
class FactorUpdate:
    frequency: str
    url: str
    path: Path
    before: pd.Timestamp  # last date of the factors in use before the update
    after: pd.Timestamp  # last date of the downloaded file
    database: str | None


def factor_url(frequency: str) -> str:
    return BASE_URL + ZIP_NAMES[frequency]


def _fetch(session, url: str) -> bytes:
    from curl_cffi.requests import exceptions as curl_errors

    try:
        response = session.get(url, timeout=TIMEOUT)
    except curl_errors.DNSError:
        raise DataUnavailable(
            f"the {LIBRARY} could not be reached (host name not resolved); factors unchanged"
        ) from None
    except (curl_errors.Timeout, TimeoutError):
        raise DataUnavailable(f"the {LIBRARY} did not answer in time; factors unchanged") from None
    except (curl_errors.RequestException, OSError) as exc:
        log.info("factor download failed: %s", exc)
        raise DataUnavailable(f"the {LIBRARY} could not be reached (offline?); factors unchanged") from None
    status = getattr(response, "status_code", None)
    if status != 200:
        raise DataUnavailable(f"the {LIBRARY} answered HTTP {status} for {url}; factors unchanged")
    content = response.content
    if len(content) > MAX_BYTES:
        raise DataUnavailable(f"{url}: {len(content):,} bytes, far more than a factor file; factors unchanged")
    return content


def csv_from_zip(content: bytes, where: str) -> bytes:
    """The one CSV inside a Data Library zip (its name ends in .csv, any case)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [i for i in archive.infolist() if i.filename.lower().endswith(".csv") and not i.is_dir()]
        if len(members) != 1:
            raise FactorFileError(f"{where}: expected one CSV in the zip, found {len(members)}")
        if members[0].file_size > MAX_BYTES:
            raise FactorFileError(f"{where}: the CSV in the zip is {members[0].file_size:,} bytes")
        return archive.read(members[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise FactorFileError(f"{where}: not a valid zip file ({exc})") from None


def validate(raw: bytes, frequency: str, where: str, in_use: pd.Timestamp | None = None) -> ParsedFactors:
    """Parse and check a download: it must reach at least as far as the bundled file and the one in use."""
    parsed = parse_factor_text(decode_text(raw, where), frequency, where)
    floor = bundled_factors(frequency).last_date
    if in_use is not None:
        floor = max(floor, in_use)
    if parsed.last_date < floor:
        raise FactorFileError(f"{where} ends {parsed.last_date:%Y-%m-%d}, before the factors in use ({floor:%Y-%m-%d})")
    return parsed


def update_factors(paths: AppPaths, offline: bool = False, session=None) -> list[FactorUpdate]:
    """Download, check, then store both files; DataUnavailable (nothing written) on any failure."""
    if offline:
        raise DataUnavailable("offline mode: updating the factors needs the network (drop --offline)")
    before = {f: load_factors(f, paths).last_date for f in FREQUENCIES}
    downloads: dict[str, tuple[bytes, ParsedFactors]] = {}
    own = session is None
    if own:
        from curl_cffi import requests as curl_requests

        session = curl_requests.Session()
    try:
        for frequency in FREQUENCIES:
            url = factor_url(frequency)
            content = _fetch(session, url)
            try:
                raw = csv_from_zip(content, ZIP_NAMES[frequency])
                downloads[frequency] = (raw, validate(raw, frequency, ZIP_NAMES[frequency], before[frequency]))
            except FactorFileError as exc:
                raise DataUnavailable(f"the download is not a usable factor file: {exc}; factors unchanged") from None
    finally:
        if own:
            session.close()
    paths.factors_dir.mkdir(parents=True, exist_ok=True)
    done = []
    for frequency, (raw, parsed) in downloads.items():
        path = write_bytes(user_factor_file(paths, frequency), raw)
        done.append(
            FactorUpdate(frequency, factor_url(frequency), path, before[frequency], parsed.last_date, parsed.database)
        )
    return done


__all__ = ["FILE_NAMES", "FactorUpdate", "factor_url", "update_factors"]
