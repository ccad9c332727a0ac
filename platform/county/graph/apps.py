from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "county.graph"
    label = "graph"
    verbose_name = "GraphQL 全县视图"

    def ready(self) -> None:
        # the schema imports models: only once the app registry is ready
        from county.graph.citizen_here import case_status_here
        from sites.citizen.county_client import county_answers_here

        county_answers_here(case_status=case_status_here)
