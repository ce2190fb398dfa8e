import pytest

from . import urls


@pytest.fixture
def recorder():
    """The test site's notification endpoint, emptied for each test."""
    urls.recorder.__init__()
    yield urls.recorder
    urls.recorder.__init__()
