"""Production template: PostgreSQL and RabbitMQ, secrets from the environment, no defaults.

Use with DJANGO_SETTINGS_MODULE=deploy.settings.production and, for example:
  HALL_SITE=t-maan
  HALL_SECRET_KEY=<50 random characters>
  HALL_DATABASE_URL=postgres://halls@db.t-maan.internal:5432/halls
  HALL_BROKER_URL=amqp://t-maan:<password>@mq.county.internal:5672/halls
  HALL_ALLOWED_HOSTS=hall.t-maan.gov.cn
"""

import os

for required in ("HALL_SECRET_KEY", "HALL_DATABASE_URL", "HALL_BROKER_URL"):
    if not os.environ.get(required):
        raise SystemExit(f"hall: production needs {required} in the environment")
os.environ.setdefault("HALL_DEBUG", "false")

from deploy.settings.node import *  # noqa: E402, F403
from deploy.settings.node import HALL_TIER  # noqa: E402
from sites.registry.tier import of  # noqa: E402

if of(HALL_TIER).asks_county and not os.environ.get("HALL_COUNTY_URL"):
    # a township or village asks the county on a citizen's behalf: no silent 127.0.0.1 default
    raise SystemExit("hall: production needs HALL_COUNTY_URL (the county's address) here")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
