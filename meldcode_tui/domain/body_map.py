"""The body map (poptekening): where on the body an injury was seen, front and back.

Regions are laid out on a small grid per view so that the terminal can draw a recognisable
figure and arrow keys can move between neighbouring regions; left and right are the *pupil's*
(as on a paper poptekening: the front view shows the pupil's right side on the viewer's left).
Each mark is its own event (``body_mark_recorded``) belonging to one signal.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_


@dataclass(frozen=True)
class Region:
    id: str
    label: str        # Dutch (N_), translate at use
    view: str         # "front" | "back"
    row: int
    col: int          # grid column (0..4), centre = 2
    key: str          # a letter to jump to it within its view


def _r(id, label, view, row, col, key):
    return Region(id, label, view, row, col, key)


REGIONS: tuple[Region, ...] = (
    _r("head", N_("hoofd"), "front", 0, 2, "h"),
    _r("face", N_("gezicht"), "front", 1, 2, "g"),
    _r("neck", N_("hals"), "front", 2, 2, "n"),
    _r("arm_right", N_("arm rechts"), "front", 3, 0, "a"),
    _r("chest", N_("borst"), "front", 3, 2, "b"),
    _r("arm_left", N_("arm links"), "front", 3, 4, "l"),
    _r("hand_right", N_("hand rechts"), "front", 4, 0, "d"),
    _r("belly", N_("buik"), "front", 4, 2, "u"),
    _r("hand_left", N_("hand links"), "front", 4, 4, "k"),
    _r("genitals", N_("genitaliën"), "front", 5, 2, "e"),
    _r("leg_right", N_("been rechts"), "front", 6, 1, "r"),
    _r("leg_left", N_("been links"), "front", 6, 3, "s"),
    _r("foot_right", N_("voet rechts"), "front", 7, 1, "v"),
    _r("foot_left", N_("voet links"), "front", 7, 3, "w"),
    _r("back_of_head", N_("achterhoofd"), "back", 0, 2, "h"),
    _r("nape", N_("nek"), "back", 2, 2, "n"),
    _r("arm_left_back", N_("arm links (achter)"), "back", 3, 0, "l"),
    _r("upper_back", N_("bovenrug"), "back", 3, 2, "b"),
    _r("arm_right_back", N_("arm rechts (achter)"), "back", 3, 4, "a"),
    _r("lower_back", N_("onderrug"), "back", 4, 2, "o"),
    _r("buttocks", N_("billen"), "back", 5, 2, "i"),
    _r("leg_left_back", N_("been links (achter)"), "back", 6, 1, "s"),
    _r("leg_right_back", N_("been rechts (achter)"), "back", 6, 3, "r"),
    _r("heel_left", N_("hiel links"), "back", 7, 1, "w"),
    _r("heel_right", N_("hiel rechts"), "back", 7, 3, "v"),
)
BY_ID = {r.id: r for r in REGIONS}
VIEWS = {"front": N_("voorkant"), "back": N_("achterkant")}

MARK_KINDS = (
    ("bruise", N_("blauwe plek")), ("burn", N_("brandwond")), ("cut", N_("snee")),
    ("scratch", N_("schram")), ("bite", N_("bijtwond")), ("swelling", N_("zwelling")),
    ("fracture", N_("breuk (vermoed)")), ("other", N_("anders")),
)


def in_view(view: str) -> list[Region]:
    return [r for r in REGIONS if r.view == view]


def neighbour(region: Region, direction: str) -> Region:
    """The nearest region of the same view in ``direction`` (up/down/left/right), or itself."""
    dr, dc = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}[direction]
    best, best_cost = region, None
    for other in in_view(region.view):
        if other is region:
            continue
        drow, dcol = other.row - region.row, other.col - region.col
        along = drow * dr + dcol * dc            # progress in the asked direction
        across = abs(drow * dc) + abs(dcol * dr)  # drift sideways
        if along <= 0:
            continue
        cost = along * 3 + across * 2
        if best_cost is None or cost < best_cost:
            best, best_cost = other, cost
    return best
