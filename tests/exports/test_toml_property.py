"""Property: any JSON-like payload survives the TOML encoding exactly (None included)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from meldcode_tui.exports.toml_format import NONE_KEY, decode_value, encode_value

from .helpers import dump, load

keys = st.text(min_size=0, max_size=8).filter(lambda k: k != NONE_KEY)
scalars = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(max_size=30)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_payload_round_trip(payload):
    assert decode_value(load(dump({"p": encode_value(payload)}))["p"]) == payload
