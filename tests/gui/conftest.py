"""Every window test runs in the application as the analyst gets it: the Fusion style, the app's font and its
style sheet. Without this the look would depend on which test file ran first in the process (the ones that
start the real `main()` restyle the one QApplication), and layout tests would pass or fail by order."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from gui.app import make_application


@pytest.fixture(scope="session")
def qapp() -> Iterator[QApplication]:
    """pytest-qt's application fixture, replaced by the one the app itself makes."""
    yield make_application([])
