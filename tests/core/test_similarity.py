"""A past incident's resemblance: a score from shared alerts, services, labels and words, and
the reasons in words, strongest first."""

from __future__ import annotations

from commander.core.similarity import (
    ALERT_WEIGHT,
    LABEL_WEIGHT,
    SERVICE_WEIGHT,
    Features,
    Resemblance,
    compare,
    words,
)


def test_words_are_lower_case_four_letters_or_more_and_split_at_camel_case_and_dashes() -> None:
    assert words("CertificateExpired on api-gateway with the_db_primary from TLS x509") == {
        "certificateexpired",
        "certificate",
        "expired",
        "api-gateway",
        "gateway",
        "the_db_primary",
        "primary",
        "x509",
    }


def test_stop_words_and_short_words_are_not_words() -> None:
    assert words("this was after that, when it went down") == {"went", "down"}
    assert words("") == frozenset()
    assert words("!!! ... ???") == frozenset()


def test_features_are_normalized_and_say_nothing_labels_are_dropped() -> None:
    features = Features.of(
        services=["API", " gw ", "", "  "],
        alerts=[" CertExpired ", ""],
        labels=[("namespace", "prod"), ("severity", "critical"), ("instance", "h:9"), ("job", "")],
        text="Certificate expired",
    )
    assert features.services == {"api", "gw"}
    assert features.alerts == {"CertExpired"}
    assert features.labels == {("namespace", "prod")}
    assert features.words == {"certificate", "expired"}


def test_each_shared_feature_adds_its_weight_and_its_reason_in_order() -> None:
    probe = Features.of(
        services=["api", "gw"],
        alerts=["CertExpired"],
        labels=[("namespace", "prod")],
        text="certificate expired on gateway",
    )
    past = Features.of(
        services=["api"],
        alerts=["CertExpired"],
        labels=[("namespace", "prod")],
        text="gateway certificate renewed",
    )
    # 4 (alert) + 2 (service) + 0.5 (label) + 3 * 2/4 (Jaccard) + 0.25 * 2 (shared words)
    assert compare(probe, past) == Resemblance(
        8.5,
        (
            "same alert CertExpired",
            "service api",
            "labels namespace=prod",
            "similar words certificate, gateway",
        ),
    )
    assert compare(probe, past).explanation == (
        "same alert CertExpired; service api; labels namespace=prod; "
        "similar words certificate, gateway"
    )


def test_nothing_shared_is_a_zero_score_without_reasons() -> None:
    probe = Features.of(services=["api"], alerts=["A"], text="database failover")
    assert compare(probe, Features()) == Resemblance(0.0, ())
    assert compare(Features(), Features()).explanation == ""


def test_long_lists_show_four_names_and_how_many_more() -> None:
    many = Features.of(services=[f"s{i}" for i in range(1, 7)])
    result = compare(many, many)
    assert result.score == 6 * SERVICE_WEIGHT
    assert result.reasons == ("services s1, s2, s3, s4 (+2)",)


def test_alerts_count_each_and_labels_count_at_most_four() -> None:
    labels = [(f"k{i}", "v") for i in range(6)]
    probe = Features.of(alerts=["A", "B"], labels=labels)
    result = compare(probe, probe)
    assert result.score == 2 * ALERT_WEIGHT + 4 * LABEL_WEIGHT
    assert result.reasons[0] == "same alert A, B"
    assert result.reasons[1] == "labels k0=v, k1=v, k2=v, k3=v (+2)"


def test_identical_text_scores_the_full_text_weight_plus_the_word_bonus() -> None:
    text = Features.of(text="replication lagging behind primary database badly")
    result = compare(text, text)
    assert result.score == 3.0 + 0.25 * 4
    assert result.reasons == ("similar words badly, behind, database, lagging, primary (+1)",)


def test_the_score_is_the_same_both_ways() -> None:
    a = Features.of(services=["api", "db"], alerts=["X"], text="slow queries on orders")
    b = Features.of(services=["db"], alerts=["X", "Y"], text="orders table queries timing out")
    assert compare(a, b).score == compare(b, a).score
