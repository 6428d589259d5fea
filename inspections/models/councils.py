"""The councils: each local authority with children's services, current or one that no
longer exists, and the ten the Department for Education finds most like it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from simple_history.models import HistoricalRecords

from ..choices import AuthorityStatus, Closeness, Region
from ..web.addresses import address
from ..web.slugs import is_slug
from .constraints import SlugNaturalKeyManager, in_choices
from .events import Event


class LocalAuthorityQuerySet(models.QuerySet):
    def chosen(self, slug: str | None = None) -> "LocalAuthority | None":
        """The authority a page was asked for by slug; without one, the site's own council
        (settings.SITE_COUNCIL), or the first one entered if it has none. None if none.

        An unknown slug raises LocalAuthority.DoesNotExist, which views turn into a 404.
        """
        if slug:
            if not is_slug(slug):
                raise self.model.DoesNotExist(f"{slug!r} is not a slug.")
            return self.get(slug=slug)
        site_first = Case(When(slug=settings.SITE_COUNCIL, then=Value(0)), default=Value(1))
        return self.order_by(site_first, "pk").first()

    def current(self) -> "LocalAuthorityQuerySet":
        return self.filter(status=AuthorityStatus.CURRENT)

    def former(self) -> "LocalAuthorityQuerySet":
        return self.filter(status=AuthorityStatus.NO_LONGER_EXISTS)

    def with_latest_inspection(self) -> "LocalAuthorityQuerySet":
        """Each authority with `latest_inspection_pk`: the primary key of its latest graded
        ILACS inspection, or None. (inspections/councils/grades.py reads its grades.)"""
        latest = Event.objects.graded_ilacs().filter(authority=OuterRef("pk")).newest_first()
        return self.annotate(latest_inspection_pk=Subquery(latest.values("pk")[:1]))


OFSTED_PROVIDER_URL = "https://reports.ofsted.gov.uk/provider/44/{urn}"


class LocalAuthority(models.Model):
    """A council with children's services, current or one that no longer exists.

    The codes come from the lookups in fixtures/ofsted/ (`manage.py import_councils`);
    an authority entered by hand may leave them blank.
    """

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="The Office for National Statistics area code, such as E10000032.",
    )
    dfe_number = models.PositiveSmallIntegerField(
        "DfE number",
        null=True,
        blank=True,
        unique=True,
        help_text="The Department for Education's local authority number, such as 938.",
    )
    ofsted_urn = models.PositiveIntegerField(
        "Ofsted URN",
        null=True,
        blank=True,
        unique=True,
        help_text="The number of the council's page on Ofsted's reports site.",
    )
    region = models.CharField(max_length=32, choices=Region.choices, blank=True)
    status = models.CharField(
        max_length=16,
        choices=AuthorityStatus.choices,
        default=AuthorityStatus.CURRENT,
        help_text="Councils merged or abolished are kept, with their inspections.",
    )

    objects = SlugNaturalKeyManager.from_queryset(LocalAuthorityQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        constraints = [
            models.UniqueConstraint(
                fields=["ons_code"],
                condition=~Q(ons_code=""),
                name="authority_ons_code_unique",
                violation_error_message="Another local authority has this ONS code.",
            ),
            models.CheckConstraint(
                condition=Q(region="") | in_choices("region", Region),
                name="authority_region_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("status", AuthorityStatus), name="authority_status_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return address("inspections:council", self.slug)

    @property
    def ofsted_url(self) -> str:
        """The council's page on Ofsted's reports site, or "" without a URN."""
        return OFSTED_PROVIDER_URL.format(urn=self.ofsted_urn) if self.ofsted_urn else ""


class StatisticalNeighbour(models.Model):
    """One of the ten councils the Department for Education finds most like another.

    From the DfE's statistical neighbour groupings of April 2021, in their order:
    rank 1 is the closest.
    """

    authority = models.ForeignKey(
        "inspections.LocalAuthority",
        on_delete=models.CASCADE,
        related_name="statistical_neighbours",
    )
    neighbour = models.ForeignKey(
        "inspections.LocalAuthority", on_delete=models.CASCADE, related_name="neighbour_of"
    )
    rank = models.PositiveSmallIntegerField(help_text="1 for the closest, up to 10.")
    closeness = models.CharField(max_length=16, choices=Closeness.choices)

    class Meta:
        ordering = ["authority", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "rank"],
                name="neighbour_rank_unique",
                violation_error_message="This authority already has a neighbour at that rank.",
            ),
            models.UniqueConstraint(
                fields=["authority", "neighbour"],
                name="neighbour_once_per_authority",
                violation_error_message="This council is already one of the neighbours.",
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10), name="neighbour_rank_one_to_ten"
            ),
            models.CheckConstraint(
                condition=~Q(neighbour=F("authority")), name="neighbour_not_itself"
            ),
            models.CheckConstraint(
                condition=in_choices("closeness", Closeness), name="neighbour_closeness_valid"
            ),
        ]

    def __str__(self):
        return f"{self.authority}: {self.rank}. {self.neighbour} ({self.get_closeness_display()})"

    def clean(self):
        if self.authority_id and self.authority_id == self.neighbour_id:
            raise ValidationError("A council cannot be its own statistical neighbour.")
