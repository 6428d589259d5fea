"""An Ofsted report read by report_reader, as what the admin's "add a graded inspection"
form is filled in with: nothing is saved until the editor presses Save.

The reading travels from the upload page to the add form in the editor's session, under a
short token in the form's address, so that the form keeps it through a failed Save.
"""

import datetime
import re
import secrets
import tempfile
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify

from .. import dates
from ..choices import DatePrecision, FindingKind, Framework, Grade, InspectionType, JudgementArea
from ..models import LocalAuthority, Theme
from .report_reader import ReportReading, read_report

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An editor waits on the page while the report is read: a few seconds at most.
READ_SECONDS = 8.0
SESSION_KEY = "report_readings"
KEPT_READINGS = 3
PUBLISHER = "Ofsted"


def read_upload(upload: UploadedFile) -> ReportReading:
    """Read an uploaded report from a temporary file that is deleted at once."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        reading = read_report(copy.name, time_budget=READ_SECONDS)
    return ReportReading(**{**reading.__dict__, "file": upload.name})


def remember(session: SessionBase, reading: ReportReading) -> str:
    """Keep the reading in the session (the last few only); its token."""
    token = secrets.token_urlsafe(8)
    kept = dict(list(session.get(SESSION_KEY, {}).items())[-(KEPT_READINGS - 1) :])
    kept[token] = reading.to_json()
    session[SESSION_KEY] = kept
    return token


@dataclass(frozen=True)
class ReportForm:
    """What the add form is filled in with, from one reading."""

    reading: dict

    @classmethod
    def recalled(cls, session: SessionBase, token: str | None) -> "ReportForm | None":
        reading = session.get(SESSION_KEY, {}).get(token or "")
        return cls(reading) if reading else None

    @property
    def framework(self) -> str:
        framework = self.reading.get("framework")
        return framework if framework in Framework.values else Framework.ILACS

    def day(self, key: str) -> datetime.date | None:
        value = self.reading.get(key)
        return datetime.date.fromisoformat(value) if value else None

    def authority(self) -> LocalAuthority | None:
        """The council the report names, if the site has exactly one of that name."""
        name = (self.reading.get("council") or "").strip()
        if not name:
            return None
        plain = slugify(name.removesuffix(" County Council").removesuffix(" Council"))
        matches = list(
            LocalAuthority.objects.filter(slug=plain)
            or LocalAuthority.objects.filter(name__iexact=name)
            or LocalAuthority.objects.filter(name__istartswith=name)
        )
        return matches[0] if len(matches) == 1 else None

    def event_initial(self) -> dict:
        start, end = self.day("start_date"), self.day("end_date")
        kind = InspectionType(self.reading.get("inspection_type") or InspectionType.STANDARD)
        authority = self.authority()
        when = (
            dates.describe_range(start, DatePrecision.DAY, end, DatePrecision.DAY) if start else ""
        )
        overall = self.reading.get("judgements", {}).get(JudgementArea.OVERALL)
        title = f"{Framework(self.framework).name} {kind.label.lower()}"
        if start:
            title += f", {start:%B %Y}"
        summary = f"{kind.label} by Ofsted"
        if when:
            summary += f", on site {when}"
        if overall:
            summary += f": overall effectiveness {Grade(overall).label.lower()}"
        initial = {
            "framework": self.framework,
            "inspection_type": kind.value,
            "title": title,
            "summary": summary + ".",
            "start_date": start,
            "start_date_precision": DatePrecision.DAY,
            "end_date": end,
            "end_date_precision": DatePrecision.DAY,
            "published_on": self.day("published"),
            "published_on_precision": DatePrecision.DAY,
            "lead_inspector": self.reading.get("lead_inspector") or "",
            "report_title": self.source_title(authority),
            "report_url": authority.ofsted_url if authority else "",
            "report_published": self.day("published"),
        }
        if authority is not None:
            initial["authority"] = authority.pk
        return initial

    def source_title(self, authority: LocalAuthority | None) -> str:
        council = authority.name if authority else (self.reading.get("council") or "the council")
        start = self.day("start_date")
        return f"{council}: Ofsted inspection of local authority children's services" + (
            f", {start:%B %Y}" if start else ""
        )

    def judgement_rows(self, areas: list[JudgementArea]) -> list[dict]:
        grades = self.reading.get("judgements", {})
        return [
            {"area": area, "grade": grades.get(area, ""), "from_report": area in grades}
            for area in areas
        ]

    def finding_rows(self) -> list[dict]:
        themes = list(Theme.objects.only("pk", "name", "slug"))
        return [
            {
                "kind": FindingKind.IMPROVEMENT,
                "text": text,
                "theme": likely_theme(text, themes),
                "from_report": True,
            }
            for text in self.reading.get("recommendations", [])
        ]


def words(text: str) -> set[str]:
    """The words that carry meaning, roughly singular: 'Care leavers' -> {'care', 'leaver'}."""
    found = re.findall(r"[a-z]+", text.casefold())
    return {word.removesuffix("s") for word in found if len(word) > 3} - STOP_WORDS


# Words every recommendation uses, which tell no theme from another.
STOP_WORDS = {
    "that",
    "their",
    "they",
    "this",
    "with",
    "when",
    "from",
    "have",
    "been",
    "into",
    "child",
    "children",
    "young",
    "people",
    "service",
    "services",
    "council",
}


def likely_theme(text: str, themes: list[Theme]) -> int | None:
    """The theme sharing the most words with the recommendation (a longer theme name wins
    a tie); None when no theme shares a word. The editor checks it before saving."""
    said = words(text)
    best, best_score = None, (0, 0)
    for theme in themes:
        shared = len(said & words(theme.name))
        score = (shared, len(theme.name))
        if shared and score > best_score:
            best, best_score = theme.pk, score
    return best
