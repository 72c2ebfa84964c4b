"""Every path the data package names stays inside its folder, is a regular file and is read with
a bound; a structurally odd datapackage.json is a problem with its place, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.helpers import set_cell
from tunisia_report.dataset.files import PackageFileError, read_package_file
from tunisia_report.dataset.validate import collect_problems

ARTICLE = "bechri-2014"


def problems_text(data_dir: Path) -> list[str]:
    return [str(p) for p in collect_problems(data_dir)]


def point_article_at(data_dir: Path, path: str, content: bytes = b"") -> None:
    set_cell(data_dir, "sources", ARTICLE, "path", path)
    set_cell(data_dir, "sources", ARTICLE, "sha256", hashlib.sha256(content).hexdigest())


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("../../../../etc/hostname", "which leaves the data folder through '..'"),
        ("/dev/zero", "'/dev/zero', an absolute path"),
        ("/etc/hostname", "an absolute path"),
        ("raw", "expected a regular file, got 'raw', a folder"),
    ],
)
def test_a_source_path_outside_the_package_or_not_a_file_is_a_problem(data_copy, path, words):
    point_article_at(data_copy, path)
    found = [p for p in problems_text(data_copy) if "sources.csv:2: path:" in p]
    assert found and words in found[0], problems_text(data_copy)


def test_a_symbolic_link_out_of_the_package_is_a_problem(data_copy):
    target = Path("/etc/hostname")
    if not target.is_file():
        pytest.skip("no /etc/hostname")
    (data_copy / "raw" / "link.txt").symlink_to(target)
    point_article_at(data_copy, "raw/link.txt", target.read_bytes())
    assert any("sources.csv:2: path: expected a path to a file inside the data folder, got "
               "'raw/link.txt', which resolves outside it" in p
               for p in problems_text(data_copy))


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(data_copy):
    os.mkfifo(data_copy / "raw" / "pipe")
    point_article_at(data_copy, "raw/pipe")
    assert any("expected a regular file, got 'raw/pipe', a device or other special file" in p
               for p in problems_text(data_copy))


def test_a_file_is_read_with_a_size_bound(data_copy):
    with pytest.raises(PackageFileError, match="a file of at most 10 bytes"):
        read_package_file(data_copy, "figures.csv", limit=10)
    assert read_package_file(data_copy, "raw/coordinates.txt", limit=10_000)


def edit_descriptor(data_dir: Path, change) -> None:
    path = data_dir / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")


def resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: resource(d, "figures").update(path="../figures.csv"),
         "].path: expected a path inside the data folder, got '../figures.csv', "
         "which leaves the data folder through '..'"),
        (lambda d: resource(d, "figures").update(path="/etc/passwd"),
         "].path: expected a path inside the data folder, got '/etc/passwd', an "
         "absolute path"),
        (lambda d: resource(d, "figures")["schema"].update(primaryKey="figure_key"),
         "].schema.primaryKey: expected fields of figures: figure_id"),
        (lambda d: resource(d, "figures")["schema"]["foreignKeys"][0]["reference"].update(
            resource="nowhere"),
         "].schema.foreignKeys[0].reference.resource: expected a resource of the "
         "package, got the text 'nowhere'"),
        (lambda d: resource(d, "figures")["schema"]["foreignKeys"][0]["reference"].update(
            fields="no_such_field"),
         "reference.fields: expected fields of"),
    ],
    ids=["dotdot-path", "absolute-path", "missing-key-field", "unknown-resource",
         "unknown-reference-field"],
)
def test_a_structurally_odd_descriptor_is_a_problem_with_its_place(data_copy, change, words):
    edit_descriptor(data_copy, change)
    found = problems_text(data_copy)
    assert any(words in p for p in found), found
