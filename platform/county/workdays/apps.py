from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "county.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        # models are loaded only now
        from county.catalogue.release import ReleasePart, release_part
        from county.workdays.carried import calendar_apply, calendar_fingerprint, calendar_payload

        release_part(
            "calendar",
            ReleasePart(calendar_payload, calendar_apply, fingerprint=calendar_fingerprint),
        )
