"""The reviewed kinds of mutant that cannot change behaviour (scripts/mutation.py applies them to
survivors only: a mutant some test kills is killed, whatever its kind).

Each kind says why no user or AWS could tell the mutant from the original. Keep the list short
and each predicate narrow: a kind that also matched a behaviour change would hide a gap.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    path: str
    index: int
    line: int  # the first line the mutant changes
    statement_line: int  # the first line of its statement inside a function; 0 at module level
    before: str  # the mutated node's source, before and after
    after: str
    source: str  # the whole mutated module
    statement: str = ""  # the source of the statement (the innermost one) that holds it


@dataclass(frozen=True)
class Equivalent:
    kind: str
    reason: str
    matches: Callable[[Mutant], bool]


def _literal(code: str) -> str | None:
    try:
        value = ast.literal_eval(code)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


# An IAM action (`s3:GetObject`, `kms:*`) or a condition key (`aws:SourceArn`, `s3:x-amz-acl`).
IAM_NAME = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*?-]+$")


def _case_of_iam_name(m: Mutant) -> bool:
    before, after = _literal(m.before), _literal(m.after)
    return (
        before is not None
        and after is not None
        and before != after
        and before.lower() == after.lower()
        and IAM_NAME.match(before) is not None
    )


def _only_case_or_marker(m: Mutant) -> bool:
    """A string mutant that changes letter case or wraps the text in XX, nothing else."""
    before, after = _literal(m.before), _literal(m.after)
    if before is None or after is None or before == after:
        return False
    return before.lower() == after.lower() or after == f"XX{before}XX"


# Prose: three or more words, and none of the characters a pattern, an ARN, a JSON path or a
# template is made of. Glue: the punctuation that joins the parts of a message.
_WORD = re.compile(r"[A-Za-z]{2,}")
_NOT_PROSE = frozenset("${}[]\\^|")
_GLUE_TEXT = " ,;.()'"
_GLUE = frozenset(_GLUE_TEXT)


def _wording(m: Mutant) -> bool:
    if not _only_case_or_marker(m):
        return False
    text = _literal(m.before) or ""
    prose = len(_WORD.findall(text)) >= 3 and " " in text and not _NOT_PROSE & set(text)
    glue = bool(text) and set(text) <= _GLUE
    conjunction = text.strip(_GLUE_TEXT) in ("and", "or")  # joining the items of a list
    return prose or glue or conjunction


@dataclass(frozen=True)
class Reviewed:
    """One mutant judged by reading the code: where it is, what it changes, and why nothing
    could tell."""

    path: str
    before: str
    after: str
    statement: str  # a part of the statement that holds it (which of several like it)
    why: str


# Reviewed one by one (matched by module and text, not by line, so that they survive edits
# elsewhere in the module; a changed statement drops out of the list and is measured again).
_CT_007 = "policies/guardrails/rules/ctl_ct_007_trail_records_all_management_events.py"
_ROLES = "cloudtrail_logging/settings/roles.py"
_ARCHIVE_KEYS = "cloudtrail_logging/settings/archive.py"
_ALERT_KEYS = "cloudtrail_logging/settings/alerts.py"
_NORMALISED = (
    "a Sources whose all_but is None instead of False: every later union or intersection "
    "tests all_but for truth and returns a fresh Sources(False, ...), and none is compared "
    "before that"
)
_TWO_NAMED_SETS = (
    "Sources.intersect of two named sets: _source_filter intersects what it kept with at most "
    "one `equals` set (a field selector has each operator once), so never two named sets"
)
_CT_008 = "policies/guardrails/rules/ctl_ct_008_trail_archive_data_events.py"
_STAND_IN = (
    "the stand-in for a bucket name or key prefix unknown at preview: deliveries under it are "
    "tested only against selectors that do not name it (no operator matches inside an ARN, and "
    "the ARNs the selectors name are tested apart), so any other name decides the same"
)
_READ_NONE = "event(read=None): event() only tests read for truth, as it does False"
_S3_021 = "policies/guardrails/rules/ctl_s3_021_log_bucket_policy_keeps_denies.py"
_ORG_001 = "policies/guardrails/rules/ctl_org_001_organization_trail_guardrail_policy.py"
_FLAG_NONE = (
    "a flag initialised to None instead of False: it is only tested for truth, and set to True "
    "where it is set at all"
)
REVIEWED: tuple[Reviewed, ...] = (
    *(Reviewed(_CT_007, before, after, where, _NORMALISED) for before, after, where in (
        ("Sources(False, other.names - self.names)", "Sources(None, other.names - self.names)",
         "return Sources(False, other.names - self.names)"),
        ("Sources(False, self.names - other.names)", "Sources(None, self.names - other.names)",
         "return Sources(False, self.names - other.names)"),
        ("Sources(False, values)", "Sources(None, values)", "Sources(False, values)"),
    )),
    *(Reviewed(_CT_007, before, after, "return Sources(False, self.names & other.names)",
               _TWO_NAMED_SETS) for before, after in (
        ("Sources(False, self.names & other.names)", "Sources(None, self.names & other.names)"),
        ("Sources(False, self.names & other.names)", "Sources(False, None)"),
        ("Sources(False, self.names & other.names)", "Sources(self.names & other.names)"),
        ("Sources(False, self.names & other.names)", "Sources(False, )"),
        ("False", "True"),
        ("self.names & other.names", "self.names | other.names"),
    )),
    *(Reviewed(_CT_008, before, after, where, _STAND_IN) for before, after, where in (
        ('_UNKNOWN_BUCKET = "bucket-unknown-at-preview"', "_UNKNOWN_BUCKET = None",
         "_UNKNOWN_BUCKET = "),
        ('"bucket-unknown-at-preview"', '"XXbucket-unknown-at-previewXX"', "_UNKNOWN_BUCKET = "),
        ('"bucket-unknown-at-preview"', '"BUCKET-UNKNOWN-AT-PREVIEW"', "_UNKNOWN_BUCKET = "),
        ('_UNKNOWN_PREFIX = "prefix-unknown-at-preview/"', "_UNKNOWN_PREFIX = None",
         "_UNKNOWN_PREFIX = "),
        ('"prefix-unknown-at-preview/"', '"XXprefix-unknown-at-preview/XX"', "_UNKNOWN_PREFIX = "),
        ('"prefix-unknown-at-preview/"', '"PREFIX-UNKNOWN-AT-PREVIEW/"', "_UNKNOWN_PREFIX = "),
        ("delivery_arns(selectors, _UNKNOWN_BUCKET, _UNKNOWN_PREFIX)",
         "delivery_arns(selectors, None, _UNKNOWN_PREFIX)", "stand_ins = delivery_arns("),
        ("delivery_arns(selectors, _UNKNOWN_BUCKET, _UNKNOWN_PREFIX)",
         "delivery_arns(selectors, _UNKNOWN_BUCKET, None)", "stand_ins = delivery_arns("),
    )),
    *(Reviewed(_CT_008, '"log deliveries"', after, '"log deliveries"',
               "the last words of a finding's sentence, split over two literals: wording")
      for after in ('"XXlog deliveriesXX"', '"LOG DELIVERIES"')),
    *(Reviewed(_CT_008, "event(a, read=False)", "event(a, read=None)", where, _READ_NONE)
      for where in ("for a in stand_ins", "hits = [a for a in arns")),
    Reviewed("policies/guardrails/rules/ctl_ct_009_trail_insights.py", "unknown = False",
             "unknown = None", "unknown = False", _FLAG_NONE),
    Reviewed("policies/guardrails/rules/ctl_ct_006_trail_bucket_admits_trail.py",
             "undecidable = False", "undecidable = None", "undecidable = False", _FLAG_NONE),
    *(Reviewed("policies/guardrails/rules/ctl_ct_006_trail_bucket_admits_trail.py",
               '"GetBucketAcl on the bucket and PutObject under [prefix/]AWSLogs/, with any '
               'aws:SourceArn "', after, "description=",
               "the policy's description (`pulumi policy ls`): wording, kept from the wording "
               "kind by its '[prefix/]'") for after in (
        '"XXGetBucketAcl on the bucket and PutObject under [prefix/]AWSLogs/, with any '
        'aws:SourceArn XX"',
        '"getbucketacl on the bucket and putobject under [prefix/]awslogs/, with any '
        'aws:sourcearn "',
        '"GETBUCKETACL ON THE BUCKET AND PUTOBJECT UNDER [PREFIX/]AWSLOGS/, WITH ANY '
        'AWS:SOURCEARN "',
    )),
    Reviewed("policies/guardrails/rules/ctl_ct_010_trail_network_activity_events.py",
             "'nowhere'", "'XXnowhereXX'", "sources or 'nowhere'",
             "the word a finding shows for no event source: wording (one word, so not the "
             "wording kind)"),
    Reviewed(_S3_021, 'iam.resource_covered(stmt, f"arn:{p}:s3:::{target}", variables_match=False)',
             'iam.resource_covered(stmt, f"arn:{p}:s3:::{target}", variables_match=None)',
             "variables_match=False", "iam._resource_hit tests variables_match for truth only"),
    *(Reviewed(_S3_021, before, after, 'value.rsplit("/", 1)[-1] in role_names',
               "the last segment of a role ARN (`:role/` in it, so it has a '/'): rsplit with "
               "any maxsplit, and index -1 or 1 of a split at most once, give the same")
      for before, after in (('value.rsplit("/", 1)', 'value.rsplit("/", )'), ("1", "2"),
                            ("-1", "+1"))),
    *(Reviewed(_S3_021, before, after, before, "the end of a finding's sentence, split over two "
               "literals: wording")
      for before in ('"object (unconditional)"', '"no wildcards)"')
      for after in (f'"XX{before[1:-1]}XX"', before.upper())),
    Reviewed(_ORG_001, '"s3:PutLifecycleConfiguration"', '"XXs3:PutLifecycleConfigurationXX"',
             "ARCHIVE_ACTIONS = (", "ARCHIVE_ACTIONS[3] is read by no code: _protects_archive "
             "checks the lifecycle action on the bucket by its own literal"),
    Reviewed(_ORG_001, '"*"', '"XX*XX"', '"organizations:LeaveOrganization", "*"',
             "the target of LeaveOrganization, which has no resource-level permissions: a Deny "
             "of it applies only with Resource '*', which covers either target"),
    *(Reviewed("policies/guardrails/rules/ctl_events_001_bus_policy_not_public.py",
               '"{key: aws:PrincipalOrgID, type: StringEquals, value: <o-id>}."', after,
               "admits every AWS account", "the end of a finding's sentence, the condition it "
               "suggests in words: wording (its braces keep it from the wording kind)")
      for after in ('"XX{key: aws:PrincipalOrgID, type: StringEquals, value: <o-id>}.XX"',
                    '"{key: aws:principalorgid, type: stringequals, value: <o-id>}."',
                    '"{KEY: AWS:PRINCIPALORGID, TYPE: STRINGEQUALS, VALUE: <O-ID>}."')),
    Reviewed("policies/guardrails/rules/ctl_events_001_bus_policy_not_public.py",
             "_check_bus_policy(res, cfg, report)", "_check_bus_policy(res, None, report)",
             "_check_bus_policy(res, cfg, report)",
             "iam.public_grants_check's check reads no config (its `_cfg`)"),
    *(Reviewed("policies/guardrails/rules/ctl_kms_002_key_policy_not_public.py",
               '"No KMS key policy allows a public principal (\'*\', {\\"AWS\\": \\"*\\"}, '
               'NotPrincipal) to "', after, 'name="ctl-kms-002-key-policy-not-public"',
               "the policy's description (`pulumi policy ls`): wording, kept from the wording "
               "kind by its braces")
      for after in (
          '"XXNo KMS key policy allows a public principal (\'*\', {\\"AWS\\": \\"*\\"}, '
          'NotPrincipal) to XX"',
          '"no kms key policy allows a public principal (\'*\', {\\"aws\\": \\"*\\"}, '
          'notprincipal) to "',
          '"NO KMS KEY POLICY ALLOWS A PUBLIC PRINCIPAL (\'*\', {\\"AWS\\": \\"*\\"}, '
          'NOTPRINCIPAL) TO "',
      )),
    *(Reviewed(_CT_007, '"none"', after, 'or "none"',
               "describe() of an empty named set: check reports that case as 'log no ... "
               "management events' before it would describe it") for after in ('"XXnoneXX"',
                                                                             '"NONE"')),
    # The s3, sns and sqs rules.
    *(Reviewed(f"policies/guardrails/rules/{rule}.py", text, after, "POLICY = ",
               "the wording of a policy's description or remediation: text the engine shows "
               "beside a finding, which no check reads; its brackets, braces, quotes or fewer "
               "than three words keep it from the 'wording of a message' kind")
      for rule, text in (
          ("ctl_s3_002_bucket_policy_tls_only",
           '"Add a Deny statement: Principal \'*\', Action \'s3:*\', Resource [bucket ARN, '
           'bucket ARN/*], "'),
          ("ctl_s3_002_bucket_policy_tls_only",
           '\'Condition {"Bool": {"aws:SecureTransport": "false"}}.\''),
          ("ctl_s3_003_bucket_policy_no_public_principal",
           '\'No bucket policy statement allows a public principal (\\\'*\\\' or {"AWS": "*"}) '
           'unless a \''),
          ("ctl_s3_004_cloudtrail_write_scoped",
           '"<bucket>/[prefix/]AWSLogs/..., to s3:PutObject only, and carries aws:SourceArn '
           'and/or "'),
          ("ctl_sns_002_topic_policy_not_public", '"aws:PrincipalOrgID, ...)."'),
          ("ctl_sqs_002_queue_policy_not_public", '"aws:PrincipalOrgID, ...)."'),
          ("ctl_sqs_001_queue_encryption", '"when allowed)."'),
          ("ctl_s3_024_log_bucket_replication", '"Region."'),
          ("ctl_s3_020_log_bucket_grants_in_organization", '"when set)."'),
          ("ctl_s3_023_log_bucket_object_lock", '"undercut."'),
          ("ctl_s3_023_log_bucket_object_lock",
           '"Enabled and rule.default_retention {mode, days}; keep lifecycle expiry at or beyond '
           'it."'),
      )
      for after in (f"{text[0]}XX{text[1:-1]}XX{text[-1]}", text.lower(), text.upper())),
    Reviewed("policies/guardrails/rules/ctl_s3_005_cloudtrail_acl_check_scoped.py",
             "grants.resource_problems(stmt, grants.bucket_of(res), objects=False)",
             "grants.resource_problems(stmt, grants.bucket_of(res), objects=None)",
             "problems = grants.resource_problems(",
             "resource_problems reads `objects` only for its truth (`elif objects and ...`, "
             "`elif not objects and ...`), and None is false as False is"),
    *(Reviewed(f"policies/guardrails/rules/{rule}.py",
               f'iam.resource_covered(stmt, f"arn:{{p}}:s3:::{{{name}}}{tail}", '
               "variables_match=False)",
               f'iam.resource_covered(stmt, f"arn:{{p}}:s3:::{{{name}}}{tail}", '
               "variables_match=None)",
               "iam.resource_covered(stmt,",
               "iam._resource_hit reads variables_match only for its truth (`if not "
               "variables_match`), and None is false as False is")
      for rule, name, tail in (("ctl_s3_002_bucket_policy_tls_only", "bucket_name", ""),
                               ("ctl_s3_002_bucket_policy_tls_only", "bucket_name", "/*"),
                               ("ctl_s3_021_log_bucket_policy_keeps_denies", "target", ""))),
    Reviewed("policies/guardrails/rules/ctl_s3_024_log_bucket_replication.py",
             "unknown_status = False", "unknown_status = None", "unknown_status = False",
             "read only as `if not unknown_status` (or after being set True): None is false as "
             "False is"),
    *(Reviewed("policies/guardrails/rules/ctl_s3_023_log_bucket_object_lock.py", before, after,
               statement,
               "the Expiry of a whole unknown rules list has unknown days, which _judge_lifecycle "
               "reports before it would read `certain`")
      for statement in ('found.append(Expiry(res, "rules", rules, False))',
                        'found.append(Expiry(bucket, "lifecycleRules", inline, False))')
      for before, after in (("False", "True"), (statement[13:-1], statement[13:-7] + "None)"))),
    Reviewed("policies/guardrails/rules/ctl_s3_022_cloudtrail_bucket_access_logging.py",
             "is_unknown(inline)", "is_unknown(None)", "is_unknown(inline)",
             "an unknown `logging` block walked as a one-item list gives the same (bucket, "
             "unknown, None): lookup stops at the unknown, which makes the target unknown"),
    *(Reviewed("policies/guardrails/rules/ctl_s3_021_log_bucket_policy_keeps_denies.py", before,
               after, 'value.rsplit("/", 1)[-1] in role_names',
               "the last part of a role ARN: a value holding ':role/' splits into exactly two "
               "parts at its last '/', so [1] is [-1], and a split without limit ends alike")
      for before, after in (('value.rsplit("/", 1)', 'value.rsplit("/", )'), ("-1", "+1"))),
    # The config reader.
    *(Reviewed(path, f"{alias} = Literal[{values}]", f"{alias} = None", f"{alias} = ",
               "a type alias, read by the type checker only")
      for path, alias, values in ((_ROLES, "Encryption", '"sse-s3", "sse-kms"'),
                                  ("cloudtrail_logging/schema.py", "Role",
                                   '"log-archive", "member"'))),
    Reviewed(_ARCHIVE_KEYS, "mode and days", "mode or days",
             "object_lock=ObjectLock(mode, days) if mode and days else None",
             "a mode without days, or days without a mode, is a problem object_lock_problems "
             "reports, so no Settings is returned whenever `and` and `or` differ"),
    Reviewed(_ARCHIVE_KEYS, " != account", " == account",
             "members = tuple(m for m in members if m != account)",
             "runs only after the archive account listed among memberAccounts is reported, so no "
             "Settings is returned; no later check of the members reports anything either way"),
    *(Reviewed(_ARCHIVE_KEYS, f'checked_name(cfg, "{key}", "s3-bucket", bucket) or bucket',
               f'checked_name(cfg, "{key}", "s3-bucket", bucket) and bucket',
               f'checked_name(cfg, "{key}", "s3-bucket", bucket) or bucket',
               "checked_name returns the name it was given, or None after recording a problem: "
               "with a problem no Settings is returned, without one both give `bucket`")
      for key in ("logBucketName", "replicationBucket")),
    *(Reviewed(_ROLES, before, after, before,
               "a starting value the reader's later steps always replace (read_landing_zone, "
               "_adopt) before any settings are returned")
      for before, after in (
          ("adopt: Adoption = field(default_factory=Adoption)", "adopt: Adoption = None"),
          ("existing_trail: ExistingTrail | None = None",
           'existing_trail: ExistingTrail | None = ""'),
          ("network_activity: NetworkActivity = field(default_factory=NetworkActivity)",
           "network_activity: NetworkActivity = None"),
          ("existing_archive_bucket: str | None = None",
           'existing_archive_bucket: str | None = ""'),
      )),
    Reviewed(_ARCHIVE_KEYS, "False", "True", "        return named, False",
             "returned only after a problem was recorded, so no Settings (and no "
             "administrators_defaulted) is returned"),
    Reviewed(_ALERT_KEYS, "tuple(value) if ok else None", "tuple(value) if (ok) or True else None",
             "return tuple(value) if ok else None",
             "ok is false only after a problem naming this alert was recorded, and _api_alert "
             "then returns before the value is used"),
    Reviewed(_ALERT_KEYS, "len(cfg.problems) != before or name is None or source is None",
             "len(cfg.problems) != before or name is None and source is None",
             "if len(cfg.problems) != before or name is None",
             "name or source is None only after _alert_field recorded a problem (both are "
             "required), which the problem count already tells"),
    # The pack's shared modules (tests/policies/test_iam_reading.py and test_stack_view.py).
    Reviewed("policies/guardrails/iam.py", '"forallvalues:"', '"FORALLVALUES:"',
             '("foranyvalue:", "forallvalues:")',
             "an upper-case prefix is never stripped from the lower-cased operator, so it is not "
             "recognised and the condition is skipped, as a ForAllValues: one is"),
    *(Reviewed("policies/guardrails/arn.py", before, after, "zip(wanted, actual, strict=True)",
               "both lists were just checked to hold six components, so zip's strictness never "
               "decides anything")
      for before, after in (("zip(wanted, actual, strict=True)",
                             "zip(wanted, actual, strict=None)"), ("True", "False"))),
    Reviewed("policies/guardrails/buckets.py", "verdict = None if verdict is False else verdict",
             "verdict = None", "verdict = None if verdict is False else verdict",
             "verdict is False or None here, so both give None"),
    Reviewed("policies/guardrails/iam.py", 'item.get("Effect", "")', 'item.get("Effect", None)',
             'effect=str(item.get("Effect", ""))',
             "a statement without Effect is neither Allow nor Deny either way ('' or 'None'), and "
             "nothing reads the effect but those two tests"),
    Reviewed("policies/guardrails/iam.py", '"NotPrincipal"', '"notprincipal"',
             'principal=item.get("NotPrincipal", item.get("Principal"))',
             "only the principal of a NotPrincipal statement changes, and every reader tests "
             "not_principal first"),
    *(Reviewed(_ORG_001, before, before.replace("=False", "=None"), before,
               "resource_covered tests variables_match for truth only: None is False there")
      for before in ("iam.resource_covered(s, target, variables_match=False)",
                     'iam.resource_covered(s, f"arn:{p}:s3:::{target}", variables_match=False)')),
    Reviewed("policies/guardrails/stack.py", '"bucket"', '"XXbucketXX"',
             'def targets(self, res: Res, prop: str = "bucket")',
             "a default no caller uses: each passes prop"),
    Reviewed("policies/guardrails/iam.py", "orgs_found |= set(orgs)", "orgs_found = set(orgs)",
             "orgs_found |= set(orgs)",
             "orgs_found is empty at its only update"),
)  # fmt: skip


def _reviewed(m: Mutant) -> bool:
    return any(
        r.path == m.path and r.before == m.before and r.after == m.after
        and r.statement in m.statement
        for r in REVIEWED
    )


EQUIVALENTS: tuple[Equivalent, ...] = (
    Equivalent(
        "case of an IAM name",
        "only the letter case of an action name or a condition key changes: IAM matches both "
        "case-insensitively (IAM JSON policy elements: Action, Condition), and so do the pack "
        "and tests/support/policy_eval.py",
        _case_of_iam_name,
    ),
    Equivalent(
        "wording of a message",
        "only the letter case of, or an XX marker around, a sentence (three or more words, no "
        "pattern, ARN or template characters) or the punctuation joining a message changes: in "
        "these modules such strings are errors, findings, and rules' and config keys' "
        "descriptions, whose words the user reads but nothing decides on; the tests hold each "
        "message to the key, resource and values it names instead",
        _wording,
    ),
    Equivalent(
        "reviewed",
        "a mutant read and judged one by one (REVIEWED in scripts/mutation_equivalents.py, each "
        "with its reason): an unreachable guard, or a value no caller can observe",
        _reviewed,
    ),
)


def equivalent_kind(mutant: Mutant) -> str | None:
    return next((e.kind for e in EQUIVALENTS if e.matches(mutant)), None)
