from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "county.rules"
    label = "rules"
    verbose_name = "县级规则"

    def ready(self) -> None:
        # models are loaded only now
        from county.catalogue.release import ReleasePart, release_part
        from county.rules.carried import rules_apply, rules_payload

        release_part("rules", ReleasePart(rules_payload, rules_apply))
