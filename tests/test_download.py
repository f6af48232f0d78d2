"""`download` says exactly which Kaggle credentials are missing, without using the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from santander_lake.cli import main
from santander_lake.download import download_competition, find_credentials
from santander_lake.errors import SetupError


def test_without_credentials_download_names_every_way_to_provide_them(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path)}

    with pytest.raises(SetupError) as raised:
        download_competition(tmp_path / "raw", environ)

    message = str(raised.value)
    assert "KAGGLE_API_TOKEN" in message
    assert "KAGGLE_USERNAME and KAGGLE_KEY" in message
    assert str(tmp_path / ".config" / "kaggle" / "kaggle.json") in message
    assert "kaggle auth login" in message
    assert not (tmp_path / "raw").exists()


def test_a_username_without_key_is_named_as_half_set(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path), "KAGGLE_USERNAME": "someone"}

    with pytest.raises(SetupError, match=r"KAGGLE_KEY is unset while KAGGLE_USERNAME is set"):
        download_competition(tmp_path / "raw", environ)


def test_kaggle_json_in_the_config_dir_counts_as_credentials(tmp_path: Path) -> None:
    config = tmp_path / "conf"
    config.mkdir()
    (config / "kaggle.json").write_text('{"username": "someone", "key": "k"}')

    found = find_credentials({"KAGGLE_CONFIG_DIR": str(config)}, tmp_path)

    assert found == str(config / "kaggle.json")


def test_an_api_token_or_key_pair_counts_as_credentials(tmp_path: Path) -> None:
    assert find_credentials({"KAGGLE_API_TOKEN": "t"}, tmp_path) is not None
    assert find_credentials({"KAGGLE_USERNAME": "u", "KAGGLE_KEY": "k"}, tmp_path) is not None
    assert find_credentials({}, tmp_path) is None


def test_download_command_exits_2_when_credentials_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)

    assert main(["--profile", "test", "download", "--raw", str(tmp_path / "raw")]) == 2
    assert "no Kaggle credentials found" in caplog.text
