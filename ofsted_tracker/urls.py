from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Ofsted inspection history: data entry"
admin.site.site_title = "Ofsted inspection history admin"
admin.site.index_title = "Inspections, visits and sources"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("inspections.urls")),
]
