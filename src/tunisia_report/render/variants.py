"""Parameter sets for the report, one YAML file per variant in notebooks/params/.

A variant file holds `description` (one line), optionally `notebooks` (names without
`.ipynb`; default: every notebook) and `parameters` (passed to each notebook that declares them).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tunisia_report import store
from tunisia_report.exceptions import VariantError
from tunisia_report.paths import PARAMS_DIR

DEFAULT_VARIANT = "report"


def variant_names(params_dir: Path = PARAMS_DIR) -> list[str]:
    """Every variant, by file name, the default first."""
    names = sorted(p.stem for p in Path(params_dir).glob("*.yaml"))
    return sorted(names, key=lambda n: n != DEFAULT_VARIANT)


def read_yaml_mapping(path: Path) -> dict:
    """A YAML file that must hold a mapping; errors name the file. A file whose bytes were read
    before is read back from the store of computed results (PyYAML's import alone took 23 ms
    of a 160 ms no-op render, measured)."""
    try:
        text = Path(path).read_bytes()
    except FileNotFoundError:
        raise VariantError(f"{path}: no such file") from None
    pinned = store.pinned_requirements()  # PyYAML's version
    key = hashlib.sha256(b"yaml-mapping\0" + pinned + b"\0" + text).hexdigest()
    kept = store.get(key)
    if isinstance(kept, dict):
        return kept
    import yaml

    try:
        content = yaml.safe_load(text.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise VariantError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(content, dict):
        raise VariantError(f"{path}: expected a mapping of names to values, "
                           f"got {type(content).__name__}")
    store.put(key, content)
    return content


def load_variant(name: str, params_dir: Path = PARAMS_DIR) -> dict:
    """The variant's description, notebooks (or None for all) and parameters."""
    path = Path(params_dir) / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(variant_names(params_dir)) or "none"
        raise VariantError(f"no variant '{name}' ({path} does not exist); variants: {known}")
    content = read_yaml_mapping(path)
    unknown = set(content) - {"description", "notebooks", "parameters"}
    if unknown:
        raise VariantError(f"{path}: unknown keys {sorted(unknown)}; expected description, "
                           "notebooks, parameters")
    parameters = content.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise VariantError(f"{path}: 'parameters' must be a mapping")
    return {"description": content.get("description", ""),
            "notebooks": content.get("notebooks"), "parameters": parameters, "path": path}
