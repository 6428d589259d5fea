from django.contrib import admin
from django.urls import include, path

from ofsted_tracker import csp_reports, health, site_pages

admin.site.site_header = "Ofsted inspection history: data entry"
admin.site.site_title = "Ofsted inspection history admin"
admin.site.index_title = "Inspections, visits and sources"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("accessibility/", site_pages.accessibility, name="accessibility"),
    path("privacy/", site_pages.privacy, name="privacy"),
    path(csp_reports.PATH.lstrip("/"), csp_reports.csp_report, name="csp_report"),
    path("", include("inspections.urls")),
]

# Any uncaught error: a clear 503 page when the database is down, else templates/500.html.
handler500 = "ofsted_tracker.health.server_error"
