"""The lock file: every install is held to requirements-lock.txt, so a fresh install is the tested one.

These read the requirements files and the installed distributions (importlib.metadata), so they fail when a
direct pin and the lock disagree, when the environment drifted from the lock, or when the lock misses a
package the app's direct requirements pull in.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


LOCK = _pins(ROOT / "requirements-lock.txt")
DIRECT_FILES = ["requirements-base.txt", "requirements.txt", "requirements-test.txt"]


def _installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_every_install_is_held_to_the_lock():
    assert "-c requirements-lock.txt" in (ROOT / "requirements-base.txt").read_text().splitlines()
    for name in ("requirements.txt", "requirements-test.txt"):
        assert "-r requirements-base.txt" in (ROOT / name).read_text().splitlines(), name


def test_direct_pins_agree_with_the_lock():
    for name in DIRECT_FILES:
        for package, version in _pins(ROOT / name).items():
            assert LOCK.get(package) == version, f"{name}: {package}=={version}, lock has {LOCK.get(package)}"


def test_installed_packages_match_the_lock():
    drift = []
    for package, version in LOCK.items():
        installed = _installed_version(package)
        # torch's CPU wheel reports a local label ("2.13.0+cpu"), which the plain pin matches.
        if installed is not None and installed.split("+")[0] != version:
            drift.append(f"{package}: installed {installed}, lock {version}")
    assert not drift, "\n".join(drift)


def test_the_lock_covers_everything_the_direct_requirements_pull_in():
    todo = [p for name in DIRECT_FILES for p in _pins(ROOT / name)]
    seen, missing = set(), []
    while todo:
        package = todo.pop()
        if package in seen or _installed_version(package) is None:
            continue  # torch is absent from the Python 3.12 pass
        seen.add(package)
        if package not in LOCK:
            missing.append(package)
        for spec in metadata.requires(package) or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    assert len(seen) > 20  # the walk really followed dependencies
    assert not missing, f"not in requirements-lock.txt: {missing}"
