from django.apps import AppConfig


class HallkeysConfig(AppConfig):
    name = "county.hallkeys"
    label = "hallkeys"
    verbose_name = "站点签名公钥"
