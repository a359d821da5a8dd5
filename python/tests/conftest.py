"""Fixtures shared by the Python tests."""
import sys
import types

import numpy as np
import pytest


@pytest.fixture
def fake_tensor(monkeypatch):
    """A stand-in for torch (absent here): a DLPack-only tensor type whose module offers from_dlpack,
    so results can be checked to come back in the caller's array family."""
    fakelib = types.ModuleType("fakearraylib")

    class FakeTensor:
        def __init__(self, array):
            self._array = array

        def __dlpack__(self, *args, **kwargs):
            return self._array.__dlpack__(*args, **kwargs)

        def __dlpack_device__(self):
            return self._array.__dlpack_device__()

    FakeTensor.__module__ = "fakearraylib._tensor"
    fakelib.from_dlpack = lambda obj: FakeTensor(np.from_dlpack(obj))
    monkeypatch.setitem(sys.modules, "fakearraylib", fakelib)
    return FakeTensor
