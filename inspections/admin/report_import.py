"""Admin: "Add from an Ofsted report". An editor uploads the report's PDF; the usual form
for a new graded inspection opens filled in from it (report_import.py). Nothing is saved
until the editor presses Save, and the usual validation applies.

The uploaded file is written to a temporary file, read and deleted in the same request:
it is never kept and never served.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode

from ..choices import SourceKind
from ..models import EventSource, Finding, Source
from ..official_data.report_import import (
    MAX_UPLOAD_BYTES,
    PUBLISHER,
    ReportForm,
    read_upload,
    remember,
)
from .forms import InspectionAdminForm

REPORT_FIELDS = ("report_title", "report_url", "report_published")
CONTRIBUTION = (
    "The report: the dates on site, the lead inspector, the judgements and the recommendations."
)


class ReportUploadForm(forms.Form):
    report = forms.FileField(
        label="The report (PDF)",
        help_text="The PDF of an Ofsted inspection of a council's children's services.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": "Choose the report's PDF file."},
    )

    def clean_report(self):
        upload = self.cleaned_data["report"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file is larger than 20 MB: is it an Ofsted report?")
        reading = read_upload(upload)
        if reading.error:
            raise ValidationError(reading.error)
        self.reading = reading
        return upload


class ReportInspectionForm(InspectionAdminForm):
    """The inspection form, with the report itself as the new source it will cite."""

    report_title = forms.CharField(
        label="Title of the report", max_length=300, widget=forms.TextInput(attrs={"size": 80})
    )
    report_url = forms.URLField(
        label="Web address of the report",
        required=False,
        assume_scheme="https",
        help_text="The council's page on Ofsted's reports site, or the report itself.",
    )
    report_published = forms.DateField(label="Published", required=False)

    def report_source(self) -> Source:
        """The report as a source: the one already on the site, or a new one."""
        data = self.cleaned_data
        source = Source.objects.filter(
            kind=SourceKind.REPORT, title=data["report_title"], url=data.get("report_url") or ""
        ).first()
        return source or Source.objects.create(
            kind=SourceKind.REPORT,
            title=data["report_title"],
            publisher=PUBLISHER,
            url=data.get("report_url") or "",
            published_on=data.get("report_published"),
        )


class ReportImportAdminMixin:
    """For InspectionAdmin: the upload page, and the add form filled in from a report."""

    def get_urls(self):
        upload = path(
            "import-report/",
            self.admin_site.admin_view(self.import_report_view),
            name="inspections_inspection_import_report",
        )
        return [upload, *super().get_urls()]

    def import_report_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ReportUploadForm(request.POST, request.FILES) if posted else ReportUploadForm()
        if posted and form.is_valid():
            token = remember(request.session, form.reading)
            framework = ReportForm(form.reading.to_json()).framework
            self.message_user(
                request,
                f"“{form.reading.file}” was read. Check the form, choose a theme where none "
                "is chosen, and press Save: nothing is saved until then.",
                messages.INFO,
            )
            query = urlencode({"report": token, "framework": framework})
            return HttpResponseRedirect(f"{reverse('admin:inspections_inspection_add')}?{query}")
        context = {
            **self.admin_site.each_context(request),
            "title": "Add a graded inspection from an Ofsted report",
            "opts": self.opts,
            "form": form,
        }
        return render(request, "admin/inspections/import_report.html", context)

    def from_report(self, request: HttpRequest, obj=None) -> ReportForm | None:
        if obj is not None and obj.pk is not None:
            return None
        return ReportForm.recalled(request.session, request.GET.get("report"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.from_report(request, obj):
            kwargs["form"] = ReportInspectionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.from_report(request, obj):
            report = ("The report (the source this inspection cites)", {"fields": REPORT_FIELDS})
            fieldsets = [*fieldsets, report]
        return fieldsets

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        report = self.from_report(request)
        return {**initial, **report.event_initial()} if report else initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        report = self.from_report(request, obj)
        if report is None:
            return kwargs
        if inline.model is EventSource:
            kwargs["report_source_pending"] = True
        elif inline.model is Finding:
            kwargs["initial"] = report.finding_rows()
        return kwargs

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if isinstance(form, ReportInspectionForm):
            # Before the inlines are saved, so that a judgement or finding without a
            # source of its own cites the report.
            EventSource.objects.get_or_create(
                event=obj, source=form.report_source(), defaults={"contribution": CONTRIBUTION}
            )
