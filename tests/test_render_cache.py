"""A file's digest is read back while the file keeps its size and modification time, and made
again when either changes, when it changed too soon after its digest was made, or when the store
is off (`render.cache.Digests`)."""

from __future__ import annotations

import hashlib
import os
import time

from tunisia_report import store
from tunisia_report.render import cache


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _set_age(path, seconds: float) -> None:
    then = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(then, then))


def test_a_digest_is_read_back_only_while_its_file_is_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv(store.SWITCH, str(tmp_path / "store"))
    made = []
    monkeypatch.setattr(cache, "file_digest",
                        lambda path, real=cache.file_digest: made.append(path) or real(path))
    data = tmp_path / "claims.csv"

    def digest() -> str:
        digests = cache.Digests()
        found = digests.digest(data)
        digests.save()
        return found

    data.write_text("one")
    _set_age(data, 10)
    assert digest() == _sha("one") and len(made) == 1
    assert (tmp_path / "store" / cache.STAMPS_NAME).is_file()
    assert digest() == _sha("one") and len(made) == 1  # read back: the file was not read

    data.write_text("two")  # the same size, another time
    _set_age(data, 5)
    assert digest() == _sha("two") and len(made) == 2
    assert digest() == _sha("two") and len(made) == 2

    data.write_text("six")  # changed just now: its time may not tell a second change apart
    assert digest() == _sha("six") and len(made) == 3
    assert digest() == _sha("six") and len(made) == 4  # so it is read again

    monkeypatch.setenv(store.SWITCH, "off")
    _set_age(data, 10)
    assert digest() == _sha("six") and digest() == _sha("six") and len(made) == 6


def test_a_variant_file_is_parsed_once_per_content(tmp_path, monkeypatch):
    import pytest
    import yaml

    from tunisia_report.exceptions import VariantError
    from tunisia_report.render.variants import read_yaml_mapping

    monkeypatch.setenv(store.SWITCH, str(tmp_path / "store"))
    parsed = []
    monkeypatch.setattr(yaml, "safe_load", lambda text, real=yaml.safe_load: parsed.append(text)
                        or real(text))
    variant = tmp_path / "brief.yaml"
    variant.write_text("parameters: {sections: [summary]}  # a comment\n")
    assert read_yaml_mapping(variant) == {"parameters": {"sections": ["summary"]}}
    assert read_yaml_mapping(variant) == {"parameters": {"sections": ["summary"]}}
    assert len(parsed) == 1  # the second read came from the store
    variant.write_text("parameters: {sections: [summary, key-figures]}\n")
    assert read_yaml_mapping(variant)["parameters"]["sections"] == ["summary", "key-figures"]
    variant.write_text("parameters: [unclosed\n")
    with pytest.raises(VariantError, match="brief.yaml: not valid YAML"):
        read_yaml_mapping(variant)
    assert len(parsed) == 3
