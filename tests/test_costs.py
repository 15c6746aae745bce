"""scripts/costs.py: the arithmetic on hand-computed cases, and the tables it prints."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("costs", ROOT / "scripts" / "costs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["costs"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


costs = _load()
GFR, GDA = costs.GLACIER_FLEXIBLE, costs.GLACIER_DEEP_ARCHIVE
MILLION = 1_000_000


def test_prices_are_the_ones_the_hand_computations_below_use() -> None:
    # If AWS changes a price, update the constant, its date, and these cases together.
    assert (costs.S3_STANDARD_GB_MONTH, GFR.gb_month, GDA.gb_month) == (0.023, 0.0036, 0.00099)
    assert (GFR.transition_per_1000, GDA.transition_per_1000) == (0.03, 0.05)
    assert (GFR.minimum_days, GDA.minimum_days) == (90, 180)


def test_standard_storage_of_a_million_20_kb_files() -> None:
    # 1e6 * 20 KB = 19.07 GB; * $0.023
    assert costs.standard_month(20, MILLION) == pytest.approx(0.4386902, rel=1e-6)


def test_glacier_flexible_adds_32_kb_at_its_rate_and_8_kb_at_standard() -> None:
    # 1e6 * ((20 + 32) KB * $0.0036 + 8 KB * $0.023) / 1,048,576 KB per GB
    assert costs.archive_month(GFR, 20, MILLION) == pytest.approx(0.3540039, rel=1e-6)
    # Deep Archive: (52 * 0.00099 + 8 * 0.023) * 1e6 / 1,048,576
    assert costs.archive_month(GDA, 20, MILLION) == pytest.approx(0.2245712, rel=1e-6)


def test_transition_requests_per_million() -> None:
    assert costs.transition_cost(GFR, MILLION) == pytest.approx(30.0)
    assert costs.transition_cost(GDA, MILLION) == pytest.approx(50.0)


def test_break_even_for_20_kb_files() -> None:
    # $30 / (0.4386902 - 0.3540039) a month = 354.2 months.
    assert costs.break_even_months(GFR, 20) == pytest.approx(354.2486, rel=1e-6)
    # Deep Archive: $50 / (0.4386902 - 0.2245712) a month = 233.5 months.
    assert costs.break_even_months(GDA, 20) == pytest.approx(233.5151, rel=1e-6)


def test_small_files_cost_more_archived_and_never_break_even() -> None:
    # 5 KB in Standard (5 * 0.023 = 0.115) is below the 40 KB overhead (0.3712 per KB-unit).
    assert costs.monthly_saving(GFR, 5, MILLION) < 0
    assert math.isinf(costs.break_even_months(GFR, 5))


def test_payback_size_for_twelve_months() -> None:
    # (3e-5 * 1,048,576 / 12 + 32 * 0.0036 + 8 * 0.023) / (0.023 - 0.0036) = 150.5 KB
    assert costs.payback_size_kb(GFR, 12) == pytest.approx(150.5484, rel=1e-5)
    # and it is the size whose break-even is exactly those 12 months
    for archive in (GFR, GDA):
        for months in (6, 12, 84):
            size = costs.payback_size_kb(archive, months)
            assert costs.break_even_months(archive, size) == pytest.approx(months)


def test_minimum_storage_duration_is_billed() -> None:
    one_month = costs.archived_stay_cost(GDA, 1024, MILLION, days=30)
    full_minimum = costs.archived_stay_cost(GDA, 1024, MILLION, days=180)
    assert one_month == pytest.approx(full_minimum)
    assert costs.archived_stay_cost(GDA, 1024, MILLION, days=360) > full_minimum


def test_retention_cost_keeps_or_moves() -> None:
    days = costs.DAYS_PER_MONTH * 12
    standard = costs.retention_cost(20, MILLION, days, None, after=90)
    assert standard == pytest.approx(costs.standard_month(20, MILLION) * 12)
    # Moving on day 90 pays the transition plus the archived months.
    moved = costs.retention_cost(1024, MILLION, days, GFR, after=90)
    expected = (
        costs.standard_month(1024, MILLION) * 90 / costs.DAYS_PER_MONTH
        + 30.0
        + costs.archive_month(GFR, 1024, MILLION) * (days - 90) / costs.DAYS_PER_MONTH
    )
    assert moved == pytest.approx(expected)
    # Retention shorter than the transition day: the file never moves.
    assert costs.retention_cost(20, MILLION, 60, GFR, after=90) == pytest.approx(
        costs.retention_cost(20, MILLION, 60, None, after=90)
    )


WORKLOAD = costs.Workload()  # 100 accounts x 1,000 files a day x 15 KB, read once, 12 months


def test_workload_volumes() -> None:
    # 100 * 1,000 * 30.4167 days
    assert WORKLOAD.files_per_month == pytest.approx(3_041_666.67, rel=1e-6)
    assert WORKLOAD.gb_per_month == pytest.approx(43.5114, rel=1e-5)
    # 3,041,666.67 files * 15 KB * 10 / 1.5 KB an event
    assert WORKLOAD.events_per_month == pytest.approx(304_166_666.7, rel=1e-6)


def test_data_events_on_the_log_bucket() -> None:
    # (writes + reads) = 6,083,333 events; / 100,000 * $0.10
    assert costs.data_events_on_log_bucket(WORKLOAD) == pytest.approx(6.0833, rel=1e-4)


def test_insights_counts_writes_twice_with_both_types() -> None:
    # CloudTrail user guide, "Costs for Insights events", example 1: 300,000 management events,
    # 30,000 of them writes, both Insights types: 330,000 events analysed.
    w = costs.Workload(
        accounts=1,
        files_per_account_per_day=300_000 / costs.DAYS_PER_MONTH,
        file_kb=1,
        compression_ratio=1,
        event_kb=1,
        write_share=0.1,
    )
    both = costs.insights_events_analysed(w, call_rate=True, error_rate=True)
    assert both == pytest.approx(330_000)
    assert costs.insights_events_analysed(w, call_rate=True, error_rate=False) == pytest.approx(
        30_000
    )
    assert costs.insights(w) == pytest.approx(3.3 * 0.35)


def test_a_second_copy_of_management_events() -> None:
    # 304,166,667 events / 100,000 * $2.00
    assert costs.second_management_copy(WORKLOAD) == pytest.approx(6083.33, rel=1e-5)


def test_network_activity_events() -> None:
    # 100 accounts * 100,000 calls * 30.4167 days = 304,166,667 calls; 0.1% denied
    assert costs.network_activity_events(WORKLOAD, denied_only=False) == pytest.approx(
        304.1667, rel=1e-5
    )
    assert costs.network_activity_events(WORKLOAD, denied_only=True) == pytest.approx(
        0.3041667, rel=1e-5
    )


def test_insights_on_data_events_analyses_them_twice() -> None:
    # 6,083,333 data events * 2 / 100,000 * $0.35
    assert costs.data_insights(WORKLOAD) == pytest.approx(42.5833, rel=1e-4)


def test_cloudwatch_logs_ingests_uncompressed_events() -> None:
    # 43.5114 GB gzip * 10 = 435.114 GB at $0.50, plus 43.5114 GB * 12 months at $0.03
    assert costs.cloudwatch_logs(WORKLOAD) == pytest.approx(217.557 + 15.664, rel=1e-4)


def test_server_access_logs_are_storage_only() -> None:
    # 6,083,333 records * 400 bytes = 2.2662 GB a month, kept 12 months at $0.023
    assert costs.server_access_logging(WORKLOAD) == pytest.approx(0.62548, rel=1e-4)


def test_replication_is_puts_transfer_and_replica() -> None:
    puts = 3_041_666.67 / 1000 * 0.005
    transfer = 43.5114 * 0.02
    replica = 43.5114 * 12 * 0.023
    assert costs.cross_region_replication(WORKLOAD) == pytest.approx(
        puts + transfer + replica, rel=1e-5
    )


def test_bucket_key_cuts_kms_requests() -> None:
    without = costs.kms(WORKLOAD, bucket_key=False)
    # one key-month + 6,083,333 requests / 10,000 * $0.03
    assert without == pytest.approx(1 + 18.25, rel=1e-4)
    assert costs.kms(WORKLOAD, bucket_key=True) == pytest.approx(1 + 0.1825, rel=1e-3)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "$0.00"), (0.004, "<$0.01"), (1234.567, "$1,234.57"), (-0.5, "-$0.50")],
)
def test_usd(value: float, shown: str) -> None:
    assert costs.usd(value) == shown


def _rows(table: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]


@pytest.mark.parametrize(
    "table",
    [
        costs.lifecycle_table(),
        costs.payback_table(),
        costs.retention_table(),
        costs.options_table(WORKLOAD),
    ],
)
def test_tables_are_well_formed_markdown(table: str) -> None:
    rows = _rows(table)
    assert len({len(row) for row in rows}) == 1
    assert set(rows[1][1:]) == {"---:"}
    assert len(rows) > 2


def test_lifecycle_table_shows_the_hand_computed_figures() -> None:
    rows = {row[0]: row for row in _rows(costs.lifecycle_table())}
    assert rows["20 KB"][1:5] == ["$0.44", "$0.35", "$30.00", "354 (29.5 y)"]
    assert rows["5 KB"][4] == "never"


def test_main_prints_every_table(capsys: pytest.CaptureFixture[str]) -> None:
    costs.main(["--accounts", "10"])
    out = capsys.readouterr().out
    assert "Prices change" in out
    assert sum(line.startswith("| --- |") for line in out.splitlines()) == 4
    assert "10 accounts" in out
