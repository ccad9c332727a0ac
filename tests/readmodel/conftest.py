from tests.cases.conftest import at_site, halls  # noqa: F401  (same fixtures)
