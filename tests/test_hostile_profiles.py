"""Profile files are data: no code execution, no object tags, no file reads through selectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawler.extraction.article import extract_article
from newscrawler.profiles.loader import ProfileError, load_profile, load_profile_file

PAGE = (
    "<html><body><article><h1>Titre</h1><p>Un paragraphe assez long pour un article.</p>"
    "</article></body></html>"
)


def write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_object_tags_are_not_toml_and_run_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write(
        tmp_path,
        f'name: evil\nselectors: !!python/object/apply:os.system ["touch {marker}"]\n',
    )
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile_file(path)
    assert not marker.exists()


def test_python_looking_values_stay_strings(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write(
        tmp_path,
        'name = "evil"\n'
        f"description = \"__import__('os').system('touch {marker}')\"\n"
        "start_urls = [\"{{ ''.__class__.__mro__ }}\"]\n",
    )
    profile = load_profile_file(path)
    assert profile.description is not None and profile.description.startswith("__import__")
    extract_article(PAGE, "https://a.test/2026/11/28/x/", profile)
    assert not marker.exists()


@pytest.mark.parametrize("key", ["__class__", "__init__", "eval", "import"])
def test_unknown_keys_are_refused_by_name(tmp_path: Path, key: str) -> None:
    path = write(tmp_path, f'name = "site"\n{key} = "x"\n')
    with pytest.raises(ProfileError, match=key):
        load_profile_file(path)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "Site Name", ""])
def test_profile_names_cannot_be_paths(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, f'name = "{name}"\n')
    with pytest.raises(ProfileError, match="name"):
        load_profile_file(path)


def test_builtin_lookup_is_not_a_path(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no profile named"):
        load_profile("../../etc/passwd")


def test_selectors_cannot_read_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    path = write(
        tmp_path,
        'name = "site"\n[selectors]\n'
        f"headline = [\"xpath:document('{secret}')\", \"xpath:unparsed-text('{secret}')\"]\n",
    )
    try:
        profile = load_profile_file(path)
    except ProfileError:
        return  # refused at load time: fine
    article = extract_article(PAGE, "https://a.test/2026/11/28/x/", profile)
    assert "TOPSECRET" not in repr(article)


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "site"\n[selectors\nheadline = 1\n')
    with pytest.raises(ProfileError, match=r"site\.toml: not valid TOML"):
        load_profile_file(path)


def test_binary_profile_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bin.toml"
    path.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(ProfileError, match=r"bin\.toml"):
        load_profile_file(path)
