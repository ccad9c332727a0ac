from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "county.assessment"
    label = "assessment"
    verbose_name = "窗口考核"

    def ready(self) -> None:
        # models are loaded only now, so these imports wait for ready()
        from county.assessment import (  # noqa: F401  (registers the rules and receivers)
            receivers,
            rules,
        )
        from county.assessment.feedback import record_case_facts
        from sites.feedback.selectors import case_facts_elsewhere

        # a citizen's rating or complaint about a case handled at another hall
        case_facts_elsewhere(record_case_facts)
