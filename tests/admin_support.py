"""Helpers for the admin tests: users in each role, and the data a browser would post."""

from html.parser import HTMLParser

from django.contrib.auth.models import Group, User

from inspections.admin.roles import EDITORS, VIEWERS, sync_roles

PASSWORD = "a-long-test-password-1234"


def make_user(username: str, role: str | None = None, *, staff=True, superuser=False) -> User:
    if role is not None and not Group.objects.filter(name=role).exists():
        # A transactional test flushes the tables that the data migration filled.
        sync_roles()
    user = User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=staff, is_superuser=superuser
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_editor(username="editor"):
    return make_user(username, EDITORS)


def make_viewer(username="viewer"):
    return make_user(username, VIEWERS)


class _FormParser(HTMLParser):
    """Collects what a browser would submit from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "image"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            else:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if chosen:
                self.fields.append((self._select, chosen[0]))
            elif self._options:
                self.fields.append((self._select, self._options[0][0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that follows <textarea>.
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def form_data(response) -> dict[str, str]:
    """The fields of the admin form on `response` with the values a browser would send,
    including every inline's management form."""
    assert response.status_code == 200, response.status_code
    parser = _FormParser()
    parser.feed(response.content.decode())
    data = dict(parser.fields)
    assert "csrfmiddlewaretoken" in data, "no admin change form on the page"
    return data


def errors_on(response) -> list[str]:
    """Every error message the admin shows on a re-displayed form."""
    messages = []
    if response.context is None:
        return messages
    admin_form = response.context.get("adminform")
    if admin_form is not None:
        for field_errors in admin_form.form.errors.values():
            messages.extend(field_errors)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        messages.extend(formset.non_form_errors())
        for form_errors in formset.errors:
            for field_errors in form_errors.values():
                messages.extend(field_errors)
    return [str(message) for message in messages]
