"""Publishing replaces all of a render's files or none; a corrupt render record is ignored.

No kernel here: `publish` is given a stage of plain files (the render test does it for real).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tunisia_report.exceptions import PublishError
from tunisia_report.render import cache
from tunisia_report.render.plan import Job
from tunisia_report.render.run import publish, staged_files


def make_job(out: Path) -> Job:
    return Job("report", out, out / "figures", [], {}, [])


def stage_of(tmp_path: Path, version: str) -> Path:
    stage = tmp_path / f"stage-{version}"
    for rel in ("report.html", "report.ipynb", "report.pdf", "figures/chart.png"):
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_text(f"{version} {rel}")
    return stage


def published(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.fixture
def old_report(tmp_path) -> Path:
    out = tmp_path / "reports"
    out.mkdir()
    stage = stage_of(tmp_path, "old")
    publish(staged_files(stage), stage, make_job(out))
    return out


def test_publish_replaces_every_file(tmp_path, old_report):
    stage = stage_of(tmp_path, "new")
    final = publish(staged_files(stage), stage, make_job(old_report))
    assert len(final) == 4
    assert set(published(old_report).values()) == {
        "new report.html", "new report.ipynb", "new report.pdf", "new figures/chart.png"}


def test_a_folder_in_place_of_a_target_blocks_all_and_names_it(tmp_path, old_report):
    (old_report / "report.pdf").unlink()
    (old_report / "report.pdf").mkdir()  # a target that cannot be replaced
    (old_report / "report.pdf" / "keep").write_text("x")
    before = published(old_report)
    stage = stage_of(tmp_path, "new")
    with pytest.raises(PublishError, match=r"report\.pdf cannot be replaced \(a folder is in"):
        publish(staged_files(stage), stage, make_job(old_report))
    assert published(old_report) == before  # report.html and report.ipynb untouched


def test_a_failure_while_replacing_puts_the_previous_files_back(tmp_path, old_report,
                                                                monkeypatch):
    """As with an immutable file (`chattr +i`), which no check before can see."""
    before = published(old_report)
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == "report.pdf" and "stage" in str(src):
            raise PermissionError(1, "Operation not permitted")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    stage = stage_of(tmp_path, "new")
    (stage / "extra.txt").write_text("new only")  # a file the old report did not have
    with pytest.raises(PublishError, match=r"report\.pdf cannot be replaced \(operation not"):
        publish(staged_files(stage), stage, make_job(old_report))
    assert published(old_report) == before


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[]", b'{"outputs": []}'])
def test_a_corrupt_render_record_is_treated_as_absent_with_a_warning(tmp_path, capsys, content):
    cache.record_path(tmp_path).write_bytes(content)
    assert cache.read_record(tmp_path) == {}
    assert "unreadable render record" in capsys.readouterr().err
