"""pyproject.toml and environment.yml must list the same packages with the same bounds."""
import pathlib
import re
import sys

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML comes with JupyterLab; install it to run this")
if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli", reason="tomli reads pyproject.toml on Python 3.10")

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _norm(req: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", req)
    assert m, f"cannot read requirement {req!r}"
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def pyproject_requirements():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = data["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return dict(_norm(r) for r in reqs)


def conda_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    reqs = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            name, spec = _norm(item)
            if name not in ("python", "pip"):
                reqs[name] = spec
    return reqs


def test_environment_yml_matches_pyproject():
    py, conda = pyproject_requirements(), conda_requirements()
    assert set(py) == set(conda), (
        f"only in pyproject.toml: {sorted(set(py) - set(conda))}; "
        f"only in environment.yml: {sorted(set(conda) - set(py))}")
    differ = {k: (py[k], conda[k]) for k in py if py[k] != conda[k]}
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"


def test_python_bounds_agree():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert conda_python == ["python" + data["project"]["requires-python"]]


def test_the_comparison_can_fail(tmp_path, monkeypatch):
    # a conda file missing a package must be caught by the same code path
    broken = (ROOT / "environment.yml").read_text().replace("  - tqdm>=4.64\n", "")
    assert broken != (ROOT / "environment.yml").read_text()
    (tmp_path / "environment.yml").write_text(broken)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="only in pyproject.toml: \\['tqdm'\\]"):
        test_environment_yml_matches_pyproject()
