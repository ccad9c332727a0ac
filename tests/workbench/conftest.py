from tests.cases.conftest import at_site, halls, township, village  # noqa: F401  (shared fixtures)
from tests.joint.conftest import joint, lead_clerk, supervisor  # noqa: F401  (joint fixtures)
