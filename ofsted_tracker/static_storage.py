"""The storage of the static files in production: whitenoise's, with each file's address
worked out once per worker."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Every page names the same few files through {% static %} (the style sheets, the
    icon, htmx), and each address costs a look-up in the manifest, a quote and a urljoin:
    about 15 microseconds, five times a page (bench/README.md). The manifest is read once, when
    the worker starts, so a file's address cannot change while the worker runs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        address = self.addresses.get(name)
        if address is None:
            address = self.addresses[name] = super().url(name)
        return address
