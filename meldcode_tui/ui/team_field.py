"""The zorgteam as a list of people with a role each.

The form used to have two fields per role (name, user name) plus "Anders": four names took seven
Tabs, and a team of two teachers or without an ondersteuningscoach did not fit. Here the team is a
list. One add row - role, name, user name - puts a person on it with Enter; the role starts on the
first role step 2 still needs, so the textbook team of four is four names and four Enters. A name
from the school's user list (``Service.staff_directory``) completes as it is typed (→ or End takes
the suggestion) and brings its user name, which lets that colleague see the case. The line above
the list says which required roles are still missing, as people are added.

In the list, Delete removes a person and Enter takes them back into the add row to change.
A name typed in the add row but not added yet still counts when the form is saved: nothing typed is
lost. The whole list is part of the form's draft (``draft_value``).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..domain.anonymity import normalise
from ..i18n import _
from ..text_safety import safe_line
from .widgets import ON, PickSelect


class TeamList(OptionList):
    """The people on the team; Delete removes, Enter edits (both only here, not in a text field)."""

    BINDINGS = [
        Binding("delete,backspace", "remove", _("Verwijderen uit het zorgteam"), id="team.remove"),
        Binding("enter", "edit", _("Wijzigen"), id="team.edit"),
    ]

    def action_remove(self) -> None:
        if self.highlighted is not None:
            self.parent_field.remove_member(self.highlighted)

    def action_edit(self) -> None:
        if self.highlighted is not None:
            self.parent_field.edit_member(self.highlighted)

    @property
    def parent_field(self) -> "TeamField":
        return self.query_ancestor(TeamField)


class TeamField(Vertical):
    """A form field whose value is ``[{"role", "name", "user"}, …]``."""

    # Sizes live in app.tcss: the form's "#form-fields Input { width: 100% }" outranks a
    # DEFAULT_CSS here.


    class Changed(Message):
        def __init__(self, field: "TeamField") -> None:
            super().__init__()
            self.field = field

    def __init__(self, roles: list[tuple[str, str]], required: list[str], *,
                 members: list[dict] | None = None, directory: list[dict] | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id, classes="draft-value")
        self.roles = roles                       # (code, Dutch label), "other" last
        self.required = required
        self.members: list[dict] = [dict(m) for m in (members or [])]
        self.directory = directory or []
        self._base = id or "team"
        self._user_from_directory = False      # the user-name field was filled from the list

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="team-need")
        yield TeamList(id=f"{self._base}-list")
        with Horizontal():
            yield PickSelect([(label, code) for code, label in self.roles], id=f"{self._base}-role",
                             allow_blank=False, value=self._next_role(), compact=True)
            names = [d["display_name"] for d in self.directory] + [d["user"] for d in self.directory]
            yield Input(id=f"{self._base}-name", classes="team-name", compact=True,
                        placeholder=_("naam (fictief bij oefenen)"),
                        suggester=SuggestFromList(names, case_sensitive=False) if names else None)
            yield Input(id=f"{self._base}-user", classes="team-user", compact=True,
                        placeholder=_("gebruikersnaam"))
        yield Static(_("Enter: toevoegen · →: voorgestelde naam · lijst: Del weg, Enter wijzigen"),
                     classes="team-hint")

    def on_mount(self) -> None:
        self._refresh_list()

    def focus(self, scroll_visible: bool = True):
        self.name_input.focus(scroll_visible)
        return self

    @property
    def name_input(self) -> Input:
        return self.query_one(f"#{self._base}-name", Input)

    @property
    def user_input(self) -> Input:
        return self.query_one(f"#{self._base}-user", Input)

    @property
    def role_select(self) -> PickSelect:
        return self.query_one(f"#{self._base}-role", PickSelect)

    # -- value ----------------------------------------------------------------------------
    @property
    def value(self) -> list[dict]:
        """The team as it will be saved: the list plus a person typed in the add row but not
        added yet (a name left there is meant, not discarded)."""
        out = [dict(m) for m in self.members]
        pending = self._pending()
        if pending is not None:
            out.append(pending)
        return out

    @property
    def draft_value(self) -> list[dict]:
        return [dict(m) for m in self.members]

    @draft_value.setter
    def draft_value(self, members: Any) -> None:
        if not isinstance(members, list):
            return
        self.members = [{"role": str(m.get("role", "")), "name": str(m.get("name", "")),
                         "user": str(m.get("user", ""))} for m in members if isinstance(m, dict)]
        self._refresh_list()

    def _pending(self) -> dict | None:
        name = self.name_input.value.strip()
        if not name:
            return None
        role = self.role_select.value
        return {"role": "other" if role is Select.NULL else role, "name": name,
                "user": self.user_input.value.strip()}

    # -- adding, removing, changing -------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id not in (f"{self._base}-name", f"{self._base}-user"):
            return
        event.stop()
        self.add_pending()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == f"{self._base}-name":
            self._fill_user_from_directory(event.value)

    def _known(self, typed: str) -> dict | None:
        """The school's user whose name or user name this is (case and accents aside)."""
        key = normalise(typed.strip())
        return next((d for d in self.directory
                     if key and key in (normalise(d["display_name"]), normalise(d["user"]))), None)

    def _fill_user_from_directory(self, typed: str) -> None:
        """A name that is one of the school's users brings that user name (when the user-name
        field is empty or was filled this way before)."""
        known = self._known(typed)
        field = self.user_input
        if known:
            if not field.value or self._user_from_directory:
                field.value = known["user"]
                self._user_from_directory = True
        elif self._user_from_directory:
            field.value = ""
            self._user_from_directory = False

    def add_pending(self) -> bool:
        person = self._pending()
        if person is None:
            return False
        # Typed "juf.anna" (a user name)? Show the person's name, keep the user name.
        known = self._known(person["name"])
        if known and normalise(person["name"]) == normalise(known["user"]):
            person["name"] = known["display_name"]
        self.members.append(person)
        self.name_input.value = ""
        self.user_input.value = ""
        self._user_from_directory = False
        self.role_select.value = self._next_role()
        self._refresh_list()
        self.name_input.focus()
        self._changed()
        return True

    def remove_member(self, index: int) -> None:
        if 0 <= index < len(self.members):
            del self.members[index]
            self._refresh_list()
            self.role_select.value = self._next_role()
            self._changed()
            if not self.members:
                self.name_input.focus()

    def edit_member(self, index: int) -> None:
        """Take a person back into the add row (the row's own typing, if any, is added first)."""
        if not 0 <= index < len(self.members):
            return
        self.add_pending()
        person = self.members.pop(index)
        self._refresh_list()
        codes = [c for c, _l in self.roles]
        self.role_select.value = person["role"] if person["role"] in codes else "other"
        self.name_input.value = person["name"]
        self.user_input.value = person.get("user", "")
        self.name_input.focus()
        self._changed()

    def _changed(self) -> None:
        self.post_message(self.Changed(self))

    # -- what step 2 still needs ----------------------------------------------------------
    def missing(self) -> list[str]:
        have = {m["role"] for m in self.members}
        return [r for r in self.required if r not in have]

    def _next_role(self) -> str:
        missing = self.missing()
        if missing:
            return missing[0]
        codes = [c for c, _l in self.roles]
        return "other" if "other" in codes else codes[0]

    def _label(self, code: str) -> str:
        return dict(self.roles).get(code, code.replace("_", " "))

    def _refresh_list(self) -> None:
        try:
            listing = self.query_one(TeamList)
            need = self.query_one("#team-need", Static)
        except Exception:  # noqa: BLE001 - not composed yet
            return
        listing.clear_options()
        for m in self.members:
            user = f"  ({safe_line(m['user'])})" if m.get("user") else ""
            listing.add_option(Option(f"{self._label(m['role'])}: {safe_line(m['name'])}{user}"))
        listing.display = bool(self.members)
        missing = self.missing()
        if not self.required:
            need.update("")
        elif missing:
            need.update(_("Nog nodig voor stap 2: {roles}",
                          roles=", ".join(self._label(r) for r in missing)))
        else:
            need.update(_("{mark} Alle rollen die stap 2 vraagt staan erin.", mark=ON))
