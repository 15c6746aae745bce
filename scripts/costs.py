"""Cost figures (docs/costs.md): lifecycle of CloudTrail log files, and options of the log archive.

    venv/bin/python scripts/costs.py [--accounts 100] [--files-per-day 1000] [--file-kb 15]

Prices are AWS's published on-demand list prices for US East (N. Virginia), looked up on
2026-11-21 (search tool, stored copies). Each constant names its AWS page and says how it was
seen: "AWS page" where the stored copy of that page shows the figure, "quoted" where only
summaries that quote the page did (the stored pricing pages render their tables by script).
Prices change and vary by region: check the pages before relying on a figure. Free tiers,
volume tiers (S3 Standard is cheaper past 50 TB) and taxes are left out. Sizes are binary, as
AWS bills them: a KB is 1,024 bytes and a GB 1,024^3 bytes; a month is 730 hours, AWS's
billing month.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass

# --- prices (USD, us-east-1; read 2026-11-21; they change) -------------------------------------

# Amazon S3 pricing (https://aws.amazon.com/s3/pricing/), "Storage pricing", first 50 TB/month
# (quoted).
S3_STANDARD_GB_MONTH = 0.023
S3_GLACIER_FLEXIBLE_GB_MONTH = 0.0036
S3_GLACIER_DEEP_ARCHIVE_GB_MONTH = 0.00099
# Amazon S3 pricing, "Requests & data retrievals": S3 Standard PUT, COPY, POST, LIST per 1,000,
# GET per 1,000, and "Lifecycle Transition requests into" each Glacier class per 1,000 (quoted).
S3_PUT_PER_1000 = 0.005
S3_GET_PER_1000 = 0.0004
S3_TRANSITION_GLACIER_FLEXIBLE_PER_1000 = 0.03
S3_TRANSITION_DEEP_ARCHIVE_PER_1000 = 0.05
# Amazon S3 pricing, "Data transfer": from us-east-1 to another AWS Region, per GB. S3
# Replication bills this transfer, plus the PUT at the destination's storage-class rate (quoted).
S3_INTER_REGION_TRANSFER_GB = 0.02
# AWS CloudTrail pricing (https://aws.amazon.com/cloudtrail/pricing/), "Trails": data events
# per 100,000 delivered (AWS page); CloudTrail Insights per 100,000 events analysed, per
# Insights type (neither the stored page nor a quote showed it: check it first).
CLOUDTRAIL_DATA_EVENTS_PER_100K = 0.10
CLOUDTRAIL_INSIGHTS_PER_100K = 0.35
# The same page: "Additional copies of management events are charged at $2.00 per 100,000
# events" (AWS page); network activity events per 100,000 delivered, taken to be the data-event
# price (neither the stored page nor a quote showed it: check it first).
CLOUDTRAIL_MANAGEMENT_COPY_PER_100K = 2.00
CLOUDTRAIL_NETWORK_ACTIVITY_PER_100K = 0.10
# Amazon CloudWatch pricing (https://aws.amazon.com/cloudwatch/pricing/), "Logs", Standard log
# class: collect (data ingestion) per GB, store (archival) per GB-month (quoted).
CLOUDWATCH_LOGS_INGEST_GB = 0.50
CLOUDWATCH_LOGS_STORE_GB_MONTH = 0.03
# AWS KMS pricing (https://aws.amazon.com/kms/pricing/): each customer managed key per month
# (AWS page; each rotation of key material adds to it, not counted here), symmetric requests
# per 10,000 (quoted).
KMS_KEY_MONTH = 1.00
KMS_PER_10K_REQUESTS = 0.03

# --- storage-class facts ------------------------------------------------------------------------

# S3 user guide, "Transitioning objects using Amazon S3 Lifecycle"
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html):
# for each object archived to S3 Glacier Flexible Retrieval or S3 Glacier Deep Archive, S3 adds
# 32 KB of index billed at the archive class's rate and 8 KB of name and metadata billed at the
# S3 Standard rate; objects deleted, overwritten or transitioned before 90 (Flexible Retrieval)
# or 180 (Deep Archive) days are billed for the rest of that minimum. The same page: since
# September 2024 a lifecycle configuration's TransitionDefaultMinimumObjectSize defaults to
# all_storage_classes_128K (objects under 128 KB are not transitioned);
# varies_by_storage_class lets them go to the two Glacier classes above.
ARCHIVE_INDEX_KB = 32
ARCHIVE_METADATA_KB = 8
DEFAULT_MINIMUM_TRANSITION_KB = 128

KB_PER_GB = 1024 * 1024
HOURS_PER_MONTH = 730
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
MILLION = 1_000_000


@dataclass(frozen=True)
class ArchiveClass:
    """An S3 storage class that lifecycle rules can transition log files into."""

    name: str
    gb_month: float
    transition_per_1000: float
    minimum_days: int


GLACIER_FLEXIBLE = ArchiveClass(
    "S3 Glacier Flexible Retrieval",
    S3_GLACIER_FLEXIBLE_GB_MONTH,
    S3_TRANSITION_GLACIER_FLEXIBLE_PER_1000,
    90,
)
GLACIER_DEEP_ARCHIVE = ArchiveClass(
    "S3 Glacier Deep Archive",
    S3_GLACIER_DEEP_ARCHIVE_GB_MONTH,
    S3_TRANSITION_DEEP_ARCHIVE_PER_1000,
    180,
)
ARCHIVE_CLASSES = (GLACIER_FLEXIBLE, GLACIER_DEEP_ARCHIVE)


# --- a) lifecycle of log files ------------------------------------------------------------------


def standard_month(size_kb: float, objects: float) -> float:
    """Monthly cost of `objects` files of `size_kb` each in S3 Standard."""
    return objects * size_kb / KB_PER_GB * S3_STANDARD_GB_MONTH


def archive_month(archive: ArchiveClass, size_kb: float, objects: float) -> float:
    """Monthly cost of the same files in `archive`, with S3's per-object overhead."""
    archived = (size_kb + ARCHIVE_INDEX_KB) / KB_PER_GB * archive.gb_month
    metadata = ARCHIVE_METADATA_KB / KB_PER_GB * S3_STANDARD_GB_MONTH
    return objects * (archived + metadata)


def monthly_saving(archive: ArchiveClass, size_kb: float, objects: float) -> float:
    """What moving the files saves each month (negative: they cost more archived)."""
    return standard_month(size_kb, objects) - archive_month(archive, size_kb, objects)


def transition_cost(archive: ArchiveClass, objects: float) -> float:
    """The one-off lifecycle transition requests for `objects` files."""
    return objects / 1000 * archive.transition_per_1000


def break_even_months(archive: ArchiveClass, size_kb: float) -> float:
    """Months in the archive class before the transition has paid for itself (inf: never)."""
    saving = monthly_saving(archive, size_kb, 1)
    return transition_cost(archive, 1) / saving if saving > 0 else math.inf


def payback_size_kb(archive: ArchiveClass, months: float) -> float:
    """The file size above which a transition pays for itself within `months`.

    Solves transition = months * saving(size) for size; saving is linear in size.
    """
    per_object = transition_cost(archive, 1) * KB_PER_GB / months
    overhead = ARCHIVE_INDEX_KB * archive.gb_month + ARCHIVE_METADATA_KB * S3_STANDARD_GB_MONTH
    return (per_object + overhead) / (S3_STANDARD_GB_MONTH - archive.gb_month)


def archived_stay_cost(archive: ArchiveClass, size_kb: float, objects: float, days: float) -> float:
    """Transition plus storage for a stay of `days` in `archive`, billed for its minimum."""
    billed_months = max(days, archive.minimum_days) / DAYS_PER_MONTH
    return transition_cost(archive, objects) + archive_month(archive, size_kb, objects) * (
        billed_months
    )


def retention_cost(
    size_kb: float,
    objects: float,
    retention_days: float,
    archive: ArchiveClass | None,
    after: float,
) -> float:
    """Keeping files `retention_days` in all: in S3 Standard, or moved to `archive` at `after`."""
    if archive is None or after >= retention_days:
        return standard_month(size_kb, objects) * retention_days / DAYS_PER_MONTH
    first = standard_month(size_kb, objects) * after / DAYS_PER_MONTH
    return first + archived_stay_cost(archive, size_kb, objects, retention_days - after)


# --- b) options of the log archive --------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """The log archive's traffic. Defaults are a stated example, not a measurement."""

    accounts: int = 100
    files_per_account_per_day: float = 1000  # log and digest files over all regions
    file_kb: float = 15  # average gzip-compressed size
    compression_ratio: float = 10  # CloudTrail JSON to gzip, assumed
    event_kb: float = 1.5  # one CloudTrail event record, uncompressed JSON, assumed
    write_share: float = 0.1  # write management events; CloudTrail's Insights cost example
    reads_per_file: float = 1  # e.g. a SIEM reads every file once
    retention_months: float = 12  # how long files (and their copies) are kept
    access_log_record_bytes: float = 400  # one S3 server access log record, assumed
    # Calls through an account's VPC endpoints to the network activity sources, and the share
    # an endpoint policy denies; both assumed, for scale only.
    vpce_calls_per_account_per_day: float = 100_000
    vpce_denied_share: float = 0.001

    @property
    def files_per_month(self) -> float:
        return self.accounts * self.files_per_account_per_day * DAYS_PER_MONTH

    @property
    def gb_per_month(self) -> float:
        """Compressed log data written each month."""
        return self.files_per_month * self.file_kb / KB_PER_GB

    @property
    def events_per_month(self) -> float:
        return self.files_per_month * self.file_kb * self.compression_ratio / self.event_kb


def archive_baseline(w: Workload) -> float:
    """The archive itself: CloudTrail's PUTs, and S3 Standard at steady state for the retention."""
    puts = w.files_per_month / 1000 * S3_PUT_PER_1000
    return puts + w.gb_per_month * w.retention_months * S3_STANDARD_GB_MONTH


def server_access_logging(w: Workload) -> float:
    """S3 server access logs of the log bucket: storage only.

    S3 user guide, "Logging requests with server access logging": there is no charge for log
    delivery to a general purpose bucket; you pay for the storage of the log files. One record
    per request: CloudTrail's PUTs and the readers' GETs.
    """
    records = w.files_per_month * (1 + w.reads_per_file)
    gb = records * w.access_log_record_bytes / 1024 / KB_PER_GB
    return gb * w.retention_months * S3_STANDARD_GB_MONTH


def cross_region_replication(w: Workload) -> float:
    """Replication to S3 Standard in another region: PUTs, inter-region transfer, replica."""
    puts = w.files_per_month / 1000 * S3_PUT_PER_1000
    transfer = w.gb_per_month * S3_INTER_REGION_TRANSFER_GB
    replica = w.gb_per_month * w.retention_months * S3_STANDARD_GB_MONTH
    return puts + transfer + replica


def data_events_on_log_bucket(w: Workload) -> float:
    """CloudTrail S3 data events on the log bucket: CloudTrail's writes and the readers' reads."""
    events = w.files_per_month * (1 + w.reads_per_file)
    return events / 100_000 * CLOUDTRAIL_DATA_EVENTS_PER_100K


def second_management_copy(w: Workload) -> float:
    """A second trail of management events next to an existing organization trail: what
    `existingTrailArn` avoids."""
    return w.events_per_month / 100_000 * CLOUDTRAIL_MANAGEMENT_COPY_PER_100K


def network_activity_events(w: Workload, denied_only: bool) -> float:
    """CloudTrail network activity events: every call through the VPC endpoints, or only those
    an endpoint policy denied (errorCode VpceAccessDenied)."""
    calls = w.accounts * w.vpce_calls_per_account_per_day * DAYS_PER_MONTH
    events = calls * w.vpce_denied_share if denied_only else calls
    return events / 100_000 * CLOUDTRAIL_NETWORK_ACTIVITY_PER_100K


def data_insights(w: Workload) -> float:
    """CloudTrail Insights on the data events on the log bucket, both types: "CloudTrail will
    analyze all data events twice" ("Costs for Insights events"). pulumi-aws 7.51.1 cannot
    select it (InsightSelector EventCategories)."""
    events = w.files_per_month * (1 + w.reads_per_file)
    return 2 * events / 100_000 * CLOUDTRAIL_INSIGHTS_PER_100K


def insights_events_analysed(w: Workload, call_rate: bool, error_rate: bool) -> float:
    """Management events CloudTrail Insights analyses a month.

    CloudTrail user guide, "Costs for Insights events": API call rate analyses write events,
    API error rate analyses read and write events, so with both, writes count twice.
    """
    writes = w.events_per_month * w.write_share
    return (writes if call_rate else 0) + (w.events_per_month if error_rate else 0)


def insights(w: Workload, call_rate: bool = True, error_rate: bool = True) -> float:
    events = insights_events_analysed(w, call_rate, error_rate)
    return events / 100_000 * CLOUDTRAIL_INSIGHTS_PER_100K


def cloudwatch_logs(w: Workload) -> float:
    """The trail streamed to CloudWatch Logs: ingestion of the uncompressed events, and storage.

    CloudWatch Logs bills archived data after its own compression; it is taken here to compress
    as well as the gzip files do (an assumption).
    """
    ingested_gb = w.gb_per_month * w.compression_ratio
    stored_gb = ingested_gb / w.compression_ratio * w.retention_months
    return ingested_gb * CLOUDWATCH_LOGS_INGEST_GB + stored_gb * CLOUDWATCH_LOGS_STORE_GB_MONTH


# S3 user guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html): "up to 99 percent".
BUCKET_KEY_REDUCTION = 0.99


def kms_requests(w: Workload, bucket_key: bool) -> float:
    """KMS requests a month: one data key per file written, one Decrypt per file read.

    With an S3 Bucket Key the figure is AWS's upper bound of the reduction, not a measurement.
    """
    requests = w.files_per_month * (1 + w.reads_per_file)
    return requests * (1 - BUCKET_KEY_REDUCTION) if bucket_key else requests


def kms(w: Workload, bucket_key: bool, keys: int = 1) -> float:
    return keys * KMS_KEY_MONTH + kms_requests(w, bucket_key) / 10_000 * KMS_PER_10K_REQUESTS


# --- tables -------------------------------------------------------------------------------------


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub markdown table; columns after the first are right-aligned (they hold numbers)."""
    align = ["---"] + ["---:"] * (len(headers) - 1)
    lines = [headers, align, *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def usd(value: float) -> str:
    if value != 0 and abs(value) < 0.01:
        return "<$0.01" if value > 0 else "-<$0.01"
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def months(value: float) -> str:
    if math.isinf(value):
        return "never"
    return f"{value:,.0f} ({value / 12:,.1f} y)" if value >= 24 else f"{value:,.1f}"


def size(kb: float) -> str:
    return f"{kb / 1024:g} MB" if kb >= 1024 else f"{kb:g} KB"


SIZES_KB = (5, 20, 100, 1024)
PAYBACK_MONTHS = (12, 36, 84)


def lifecycle_table(sizes_kb: Sequence[float] = SIZES_KB) -> str:
    headers = ["file size", "S3 Standard / month"]
    for archive in ARCHIVE_CLASSES:
        short = archive.name.removeprefix("S3 Glacier ")
        headers += [f"{short} / month", f"{short} transition", f"{short} break-even (months)"]
    rows = []
    for kb in sizes_kb:
        row = [size(kb), usd(standard_month(kb, MILLION))]
        for archive in ARCHIVE_CLASSES:
            row += [
                usd(archive_month(archive, kb, MILLION)),
                usd(transition_cost(archive, MILLION)),
                months(break_even_months(archive, kb)),
            ]
        rows.append(row)
    return markdown_table(headers, rows)


def payback_table(periods: Sequence[float] = PAYBACK_MONTHS) -> str:
    headers = ["pays back within", *(a.name for a in ARCHIVE_CLASSES)]
    rows = [
        [f"{p:g} months", *(f"{payback_size_kb(a, p):,.0f} KB" for a in ARCHIVE_CLASSES)]
        for p in periods
    ]
    return markdown_table(headers, rows)


RETENTION_DAYS = (365, 7 * 365)
TRANSITION_DAY = 90


def retention_table(
    sizes_kb: Sequence[float] = SIZES_KB,
    retentions: Sequence[float] = RETENTION_DAYS,
    after: float = TRANSITION_DAY,
) -> str:
    headers = ["file size"]
    for days in retentions:
        kept = f"{days / 365:g} y"
        headers += [f"{kept}: Standard"]
        headers += [f"{kept}: {a.name.removeprefix('S3 Glacier ')}" for a in ARCHIVE_CLASSES]
    rows = []
    for kb in sizes_kb:
        row = [size(kb)]
        for days in retentions:
            row.append(usd(retention_cost(kb, MILLION, days, None, after)))
            row += [usd(retention_cost(kb, MILLION, days, a, after)) for a in ARCHIVE_CLASSES]
        rows.append(row)
    return markdown_table(headers, rows)


def options_table(w: Workload) -> str:
    rows = [
        ["log archive itself (PUTs, S3 Standard for the retention)", usd(archive_baseline(w))],
        ["S3 server access logging of the log bucket", usd(server_access_logging(w))],
        ["cross-region replication (to S3 Standard)", usd(cross_region_replication(w))],
        ["CloudTrail data events on the log bucket", usd(data_events_on_log_bucket(w))],
        ["CloudTrail Insights, API call rate", usd(insights(w, error_rate=False))],
        ["CloudTrail Insights, API error rate", usd(insights(w, call_rate=False))],
        ["CloudTrail Insights on the log bucket's data events, both types (not settable with "
         "pulumi-aws 7.51.1)", usd(data_insights(w))],
        ["CloudTrail network activity events, denied calls only (VpceAccessDenied, the default)",
         usd(network_activity_events(w, denied_only=True))],
        ["CloudTrail network activity events, every call through the VPC endpoints",
         usd(network_activity_events(w, denied_only=False))],
        ["data events on an existing archive bucket (its deliveries and reads)",
         usd(data_events_on_log_bucket(w))],
        ["a second trail of management events (what `existingTrailArn` avoids)",
         usd(second_management_copy(w))],
        ["CloudWatch Logs for the trail (ingestion and storage)", usd(cloudwatch_logs(w))],
        ["KMS: one key, no S3 Bucket Key", usd(kms(w, bucket_key=False))],
        ["KMS: one key, with S3 Bucket Key (AWS's best case, -99%)", usd(kms(w, bucket_key=True))],
    ]
    return markdown_table(["option", "per month"], rows)


def workload_sentence(w: Workload) -> str:
    return (
        f"{w.accounts:,} accounts x {w.files_per_account_per_day:,g} log files a day x "
        f"{w.file_kb:g} KB (gzip): {w.files_per_month / MILLION:,.2f} M files and "
        f"{w.gb_per_month:,.1f} GB a month, about {w.events_per_month / MILLION:,.0f} M events "
        f"({w.compression_ratio:g}:1 compression, {w.event_kb:g} KB an event, "
        f"{w.write_share:.0%} writes); each file read {w.reads_per_file:g} time(s); "
        f"kept {w.retention_months:g} months; {w.vpce_calls_per_account_per_day:,g} calls a day "
        f"per account through VPC endpoints, {w.vpce_denied_share:.1%} of them denied."
    )


def report(w: Workload) -> str:
    """The whole report: what `main` prints and docs/costs.md holds (scripts/sync_contract.py)."""
    return (
        "Prices: AWS list prices, us-east-1, read 2026-11-21. Prices change.\n\n"
        "Per million log files, by size (Glacier classes include S3's 40 KB per object):\n\n"
        f"{lifecycle_table()}\n"
        f"\nSmallest file whose transition pays back within a period "
        f"(the lifecycle default skips files under {DEFAULT_MINIMUM_TRANSITION_KB} KB):\n\n"
        f"{payback_table()}\n"
        f"\nTotal per million log files over the whole retention: all in S3 Standard, or moved "
        f"to a Glacier class on day {TRANSITION_DAY} (billed for the class's minimum stay):\n\n"
        f"{retention_table()}\n"
        f"\nOptions of the log archive, monthly. Workload: {workload_sentence(w)}\n\n"
        f"{options_table(w)}\n"
        "\nNot counted: S3 GET requests of readers, KMS requests of replication, key rotation "
        "(each rotation adds to the key's monthly price), free tiers. Insights is billed per "
        "trail; the two types add up.\n"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=Workload.accounts)
    parser.add_argument("--files-per-day", type=float, default=Workload.files_per_account_per_day)
    parser.add_argument("--file-kb", type=float, default=Workload.file_kb)
    args = parser.parse_args(argv)
    w = Workload(
        accounts=args.accounts,
        files_per_account_per_day=args.files_per_day,
        file_kb=args.file_kb,
    )
    print(report(w), end="")


if __name__ == "__main__":
    main()
