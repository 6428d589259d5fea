from django.urls import path

from .councils import views as council_views
from .events import views as event_views
from .recommendations import views as recommendation_views
from .sources import views as source_views
from .themes import views as theme_views
from .timeline import exports
from .timeline import views as timeline_views

app_name = "inspections"

urlpatterns = [
    path("", timeline_views.timeline, name="timeline"),
    path("councils/", council_views.council_list, name="councils"),
    path("councils/<slug:slug>/", timeline_views.timeline, name="council"),
    path("councils/<slug:slug>/compare/", council_views.council_compare, name="council_compare"),
    path(
        "councils/<slug:slug>/compare.csv",
        council_views.council_compare_csv,
        name="council_compare_csv",
    ),
    path(
        "councils/<slug:slug>/compare.json",
        council_views.council_compare_json,
        name="council_compare_json",
    ),
    path(
        "councils/<slug:slug>/side-by-side/",
        council_views.council_side_by_side,
        name="council_side_by_side",
    ),
    path(
        "councils/<slug:slug>/recommendations/",
        recommendation_views.council_recommendations,
        name="council_recommendations",
    ),
    path(
        "councils/<slug:slug>/recommendations.csv",
        recommendation_views.council_recommendations_csv,
        name="council_recommendations_csv",
    ),
    path("events/<slug:slug>/", event_views.event_detail, name="event"),
    path("themes/", theme_views.theme_list, name="themes"),
    path("themes/<slug:slug>/", theme_views.theme_detail, name="theme"),
    path("sources/", source_views.source_list, name="sources"),
    path("summary/", timeline_views.history_summary, name="summary"),
    path("events/<slug:slug>/summary/", event_views.event_summary, name="event_summary"),
    path("timeline.csv", exports.timeline_csv, name="timeline_csv"),
    path("timeline.json", exports.timeline_json, name="timeline_json"),
    path("planned.ics", exports.planned_ics, name="planned_ics"),
]
