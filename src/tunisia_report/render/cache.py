"""Skip a render whose inputs have not changed. Standard library only, so the check is fast."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from tunisia_report.paths import PACKAGE_DIR, ROOT

IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
# Environment variables that change output bytes: the PDF's dates; which pandoc writes it.
OUTPUT_ENVIRONMENT = ("SOURCE_DATE_EPOCH", "PYPANDOC_PANDOC")


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).rglob("*")
                  if p.is_file() and not IGNORED_PARTS & set(p.parts))


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def input_key(notebooks: list[Path], settings: dict, data_dirs: list[Path]) -> str:
    """One digest of everything a render reads: notebooks, settings, every data folder, the
    package's code, the requirements and the environment variables that change outputs."""
    digest = hashlib.sha256()
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    environment = {name: os.environ.get(name) for name in OUTPUT_ENVIRONMENT}
    digest.update(json.dumps(environment, sort_keys=True).encode())
    data = [path for data_dir in data_dirs for path in _files(data_dir)]
    inputs = [*notebooks, *data, *_files(PACKAGE_DIR), ROOT / "requirements.txt"]
    for path in inputs:
        digest.update(str(path).encode())
        digest.update(file_digest(path).encode())
    return digest.hexdigest()


RECORD_NAME = ".render.json"


def record_path(out_dir: Path) -> Path:
    """Where a render into `out_dir` records its inputs and outputs."""
    return Path(out_dir) / RECORD_NAME


def is_fresh(out_dir: Path, key: str) -> bool:
    """True when the last render into `out_dir` had this key and its outputs are untouched. A
    record that cannot be read is treated as absent, with a warning: the render runs again."""
    path = record_path(out_dir)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        record = None
    if not (isinstance(record, dict) and isinstance(record.get("outputs", {}), dict)):
        print(f"warning: {path}: not a render record; ignored (the report is rendered again)",
              file=sys.stderr)
        return False
    if record.get("key") != key:
        return False
    for path, digest in record.get("outputs", {}).items():
        if not os.path.exists(path) or file_digest(path) != digest:
            return False
    return True


def remember(out_dir: Path, key: str, outputs: list[Path]) -> None:
    """Record a successful render's key and output digests."""
    path = record_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"key": key, "outputs": {str(p): file_digest(p) for p in sorted(outputs)}}
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, path)
