"""The model's fingerprint (the key of the traced dependency map): a changed source file gives a new
key, also when the file is read again from a remembered state (jiuye.assess.dependencies)."""

import os

import pytest

from jiuye.assess import dependencies


@pytest.fixture
def model(tmp_path, monkeypatch):
    folder = tmp_path / "model"
    (folder / "policies" / "x").mkdir(parents=True)
    (folder / "base.py").write_text("A = 1\n")
    (folder / "policies" / "x" / "clause.yaml").write_text("amount: 6000\n")
    (folder / "policies" / "x" / "__pycache__").mkdir()
    monkeypatch.setattr(dependencies, "MODEL_DIR", folder)
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def test_a_changed_file_changes_the_fingerprint(model):
    clause = model / "policies" / "x" / "clause.yaml"
    first = dependencies.model_fingerprint()
    assert dependencies.model_fingerprint() == first            # remembered, the same
    clause.write_text("amount: 9000\n")                          # same size, new content
    os.utime(clause, ns=(1, 1))
    changed = dependencies.model_fingerprint()
    assert changed != first
    clause.write_text("amount: 6000\n")
    os.utime(clause, ns=(2, 2))
    assert dependencies.model_fingerprint() == first            # the same content, the same key
    (model / "policies" / "x" / "extra.py").write_text("")
    assert dependencies.model_fingerprint() not in (first, changed)


def test_bytecode_and_other_files_do_not_count(model):
    first = dependencies.model_fingerprint()
    (model / "policies" / "x" / "__pycache__" / "rules.cpython-311.pyc").write_bytes(b"\0")
    (model / "notes.txt").write_text("x")
    assert dependencies.model_fingerprint() == first


def test_without_a_cache_folder(model, monkeypatch):
    first = dependencies.model_fingerprint()
    monkeypatch.setenv("JIUYE_CACHE_DIR", "off")
    assert dependencies.model_fingerprint() == first


def test_the_engine_version_is_the_installed_one():
    """The fingerprint's engine version, read from the .dist-info folder's name, is what
    importlib.metadata reports (a new openfisca-core gives a new fingerprint)."""
    from importlib.metadata import version
    from jiuye.assess.dependencies import engine_version
    assert engine_version() == version("openfisca-core")
