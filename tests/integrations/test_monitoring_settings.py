"""Monitoring settings: sources and health targets normalized, saved beside the workspace
without their tokens, the tokens in the keyring, and the one-sentence refusals."""

from __future__ import annotations

import pytest

from commander.integrations.monitoring_settings import (
    MonitoringSettings,
    SourceTokens,
    load_monitoring_settings,
    normalize_source,
    save_monitoring_settings,
    split_host_port,
)


def test_settings_round_trip_and_tokens_stay_out_of_the_file(tmp_path, memory_keyring) -> None:
    settings = (
        MonitoringSettings()
        .with_source("http://am.example:9093/api/v2/alerts")
        .with_target("http", "https://api.example.com/healthz", "api")
        .with_target("tls", "api.example.com")
    )
    assert settings.sources == ("http://am.example:9093",)
    save_monitoring_settings(tmp_path, settings)
    SourceTokens().set("http://am.example:9093/", "tok")
    assert load_monitoring_settings(tmp_path) == settings
    assert "tok" not in (tmp_path / "monitoring.json").read_text()
    assert SourceTokens().get("http://am.example:9093") == "tok"
    assert settings.targets[1].target == "api.example.com:443"
    assert split_host_port("https://x.example:8443/path") == ("x.example", 8443)
    with pytest.raises(Exception, match="not an http"):
        normalize_source("am.example:9093")
    with pytest.raises(Exception, match="no credentials"):
        normalize_source("http://u:p@am.example")
    (tmp_path / "monitoring.json").write_text("{not json")
    with pytest.raises(Exception, match=r"monitoring\.json is not valid"):
        load_monitoring_settings(tmp_path)
