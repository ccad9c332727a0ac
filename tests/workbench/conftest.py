from tests.joint.conftest import joint, lead_clerk, supervisor  # noqa: F401  (joint fixtures)
