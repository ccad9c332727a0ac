from tests.cases.conftest import at_site, halls, township, village  # noqa: F401  (shared fixtures)
