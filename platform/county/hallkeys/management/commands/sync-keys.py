"""`hall sync-keys`: this hall's signing key; enrolment and the key list at the county."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from county.hallkeys.appliers import KEY_ANNOUNCED
from county.hallkeys.selectors import hall_keys_distributed
from county.hallkeys.services import hall_key_enrol, hall_keys_enrol_pinned
from sites.registry.tier import here
from sync.api import fanin, key_rotate, outbox_put, own_key


class Command(BaseCommand):
    help = (
        "show: this hall's public key; rotate: a new key, announced to the county signed "
        "with the old one; enrol (county): a hall's first key, from --public-key or the "
        "trust folder; list: the keys this hall accepts"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "rotate", "enrol", "list"])
        parser.add_argument("--site", help="enrol: the hall")
        parser.add_argument("--public-key", help="enrol: its public key (hex, from `show`)")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "show":
            key = own_key()
            self.stdout.write(
                json.dumps({"site": key.site, "kid": key.kid, "public_key": key.public_hex})
            )
        elif action == "rotate":
            old = own_key()
            with transaction.atomic():
                new = key_rotate()
                outbox_put(
                    type=KEY_ANNOUNCED,
                    aggregate="",
                    dest=fanin(),
                    payload={
                        "public_key": new.public_hex,
                        "by_kid": new.cert[0],
                        "signature": new.cert[1],
                    },
                )
            self.stdout.write(json.dumps({"site": new.site, "previous": old.kid, "kid": new.kid}))
        elif action == "enrol":
            if not here().enrols_hall_keys:
                raise CommandError("只有县政务服务中心登记站点公钥")
            if opts["site"] and opts["public_key"]:
                changed = hall_key_enrol(site=opts["site"], public_key=opts["public_key"])
                self.stdout.write(json.dumps({"enrolled": [opts["site"]] if changed else []}))
            else:
                self.stdout.write(json.dumps({"enrolled": hall_keys_enrol_pinned()}))
        else:
            self.stdout.write(json.dumps(hall_keys_distributed(), indent=1))
