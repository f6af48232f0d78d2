"""Fetch the competition's files from Kaggle with the `kaggle` package, if credentials exist.

Credentials are looked for where kaggle 2.x looks, without touching the network:
an API token (`KAGGLE_API_TOKEN`, `~/.kaggle/access_token`), a legacy key
(`KAGGLE_USERNAME` + `KAGGLE_KEY`, or `kaggle.json` in the config folder), or
the OAuth login saved by `kaggle auth login`.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path

from santander_lake.errors import SetupError

logger = logging.getLogger(__name__)

COMPETITION = "santander-product-recommendation"


def find_credentials(environ: Mapping[str, str], home: Path) -> str | None:
    """Where usable Kaggle credentials are, in words; None when there are none."""
    if environ.get("KAGGLE_API_TOKEN"):
        return "the KAGGLE_API_TOKEN environment variable"
    for token in (home / ".kaggle" / "access_token", home / ".kaggle" / "access_token.txt"):
        if token.is_file():
            return str(token)
    if environ.get("KAGGLE_USERNAME") and environ.get("KAGGLE_KEY"):
        return "the KAGGLE_USERNAME and KAGGLE_KEY environment variables"
    config = kaggle_json_path(environ, home)
    if config.is_file():
        return str(config)
    oauth = home / ".kaggle" / "credentials.json"
    if oauth.is_file():
        return str(oauth)
    return None


def missing_credentials_message(environ: Mapping[str, str], home: Path) -> str:
    """What to provide for `download` to work, naming the exact variables and files."""
    pair = ("KAGGLE_USERNAME", "KAGGLE_KEY")
    unset = [name for name in pair if not environ.get(name)]
    partial = ""
    if len(unset) == 1:
        other = next(name for name in pair if name not in unset)
        partial = f" ({unset[0]} is unset while {other} is set)"
    return (
        "no Kaggle credentials found. Provide one of: KAGGLE_API_TOKEN (or the token saved in "
        f"{home / '.kaggle' / 'access_token'}); KAGGLE_USERNAME and KAGGLE_KEY{partial}; "
        f"{kaggle_json_path(environ, home)}; or run `kaggle auth login`. "
        f"Then accept the rules of https://www.kaggle.com/c/{COMPETITION}."
    )


def kaggle_json_path(environ: Mapping[str, str], home: Path) -> Path:
    """Where the kaggle package reads kaggle.json: KAGGLE_CONFIG_DIR, ~/.kaggle or XDG."""
    if environ.get("KAGGLE_CONFIG_DIR"):
        return Path(environ["KAGGLE_CONFIG_DIR"]) / "kaggle.json"
    legacy = home / ".kaggle"
    if legacy.exists():
        return legacy / "kaggle.json"
    xdg = Path(environ.get("XDG_CONFIG_HOME") or home / ".config")
    return xdg / "kaggle" / "kaggle.json"


def download_competition(raw_dir: str | Path, environ: Mapping[str, str] | None = None) -> Path:
    """Download the competition zip into `raw_dir` and unpack its members there.

    Leaves `train_ver2.csv.zip`, `test_ver2.csv.zip` and `sample_submission.csv.zip`
    as Kaggle ships them (ingest reads them zipped). Raises `SetupError` naming
    what is missing when there are no credentials; needs the network otherwise.
    Idempotent: the kaggle package skips a download that is already complete.
    """
    environ = os.environ if environ is None else environ
    home = Path(environ.get("HOME") or Path.home())
    source = find_credentials(environ, home)
    if source is None:
        raise SetupError(missing_credentials_message(environ, home))

    folder = Path(raw_dir)
    folder.mkdir(parents=True, exist_ok=True)
    logger.info("Downloading %s into %s with credentials from %s", COMPETITION, folder, source)
    started = time.perf_counter()
    # Imported here: importing the `kaggle` package itself authenticates at once.
    from kaggle.api.kaggle_api_extended import KaggleApi

    api = KaggleApi()
    api.authenticate()
    api.competition_download_files(COMPETITION, path=str(folder), quiet=False)

    bundle = folder / f"{COMPETITION}.zip"
    _unpack(bundle, folder)
    logger.info("Downloaded %s in %.1f s", bundle, time.perf_counter() - started)
    return folder


def _unpack(bundle: Path, folder: Path) -> None:
    """Stream each member of Kaggle's bundle into `folder` (members are zips themselves)."""
    with zipfile.ZipFile(bundle) as archive:
        for member in archive.infolist():
            target = folder / Path(member.filename).name
            with archive.open(member) as stream, target.open("wb") as out:
                shutil.copyfileobj(stream, out, 4 * 2**20)
            logger.info("Unpacked %s (%.1f MiB)", target, member.file_size / 2**20)
