"""The committed API schemas; `hall schema` regenerates them and `hall test` checks drift."""

from deploy.env import REPO_ROOT

SCHEMAS = {
    "openapi": REPO_ROOT / "docs" / "schema" / "openapi.yaml",
    "graphql": REPO_ROOT / "docs" / "schema" / "schema.graphql",
}
