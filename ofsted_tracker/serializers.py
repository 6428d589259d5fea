"""Django's JSON serialization format, keeping datetimes to the microsecond.

Registered as the "json" format (settings.SERIALIZATION_MODULES), so that a backup made
with `dumpdata` restores with `loaddata` losing nothing: Django's own encoder cuts
datetimes to the millisecond (for JavaScript's sake), which changes admin log, session
and history timestamps on the way through. Reading is Django's own.
"""

import datetime

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(json.Serializer):
    def start_serialization(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super().start_serialization()


Deserializer = json.Deserializer
