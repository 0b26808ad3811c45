"""The config loader over arbitrary TOML: it loads, or it refuses with a ConfigError naming the file; nothing else."""

from dataclasses import fields

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smstui.service import ConfigError, load_config
from smstui.service.config import AppConfig, Profile, PushSettings, account_key, plain_http

KEYS = sorted({f.name for cls in (AppConfig, Profile, PushSettings) for f in fields(cls)} | {"bogus", "passwrod"})
scalars = st.one_of(
    st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(allow_nan=True),
    st.text(max_size=30), st.sampled_from(["http://[::1", "http://127.0.0.1:99999", "http://", "https://gw.cn/x/",
                                           "0.0.0.0:8090", "1.2.3.0/24", "TD", "zh", "xml", "encrypted"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(KEYS), inner, max_size=3), max_leaves=8)
tables = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)
documents = st.fixed_dictionaries({}, optional={
    "default_profile": st.sampled_from(["p", "q", "none"]), "language": st.sampled_from(["auto", "zh", "xx"]),
    "profiles": st.dictionaries(st.sampled_from(["p", "q"]), tables, max_size=2) | values,
    "push": tables | values, "keys": st.dictionaries(st.text(max_size=8), values, max_size=2),
    "bogus": values})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents)
def test_any_toml_loads_or_is_refused_naming_the_file(tmp_path, document):
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    path.chmod(0o600)
    try:
        config = load_config(path)
    except ConfigError as exc:
        assert str(path) in exc.message
        return
    for profile in config.profiles.values():
        config.check_profile(profile)
        assert "@" in account_key(profile.base_url, profile.account)
        plain_http(profile.base_url)
