from django.contrib import admin

from .models import (
    Event,
    Figure,
    Finding,
    Judgement,
    LocalAuthority,
    Person,
    Source,
    Statement,
    Theme,
)

for model in (Event, Figure, Finding, Judgement, LocalAuthority, Person, Source, Statement, Theme):
    admin.site.register(model)
