from django.apps import AppConfig


class HallkeysConfig(AppConfig):
    name = "county.hallkeys"
    label = "hallkeys"
    verbose_name = "站点签名公钥"

    def ready(self) -> None:
        # models are loaded only now
        from county.catalogue.release import ReleasePart, release_part
        from county.hallkeys.selectors import hall_keys_distributed
        from county.hallkeys.services import hall_keys_apply

        release_part(
            "keys", ReleasePart(hall_keys_distributed, lambda keys: hall_keys_apply(keys=keys))
        )
