from django.apps import AppConfig


class ReadmodelConfig(AppConfig):
    name = "county.readmodel"
    label = "readmodel"
    verbose_name = "全县办件视图"

    def ready(self) -> None:
        # the selectors import models: only once the app registry is ready
        from county.readmodel.selectors import records_followed_by_number
        from sites.citizen.county_client import county_answers_here

        # the village agent's followed cases, when the agent's page runs at the county
        county_answers_here(followed=records_followed_by_number)
