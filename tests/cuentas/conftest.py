# The demo people's logged-in client, as the procedure's tests use it.
from tests.dictamenes.conftest import como  # noqa: F401
