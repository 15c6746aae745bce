"""Tests for the IAM evaluator: each case's decision flips if the feature it names breaks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.policy_eval import (
    Decision,
    PolicyError,
    Principal,
    Request,
    evaluate,
    evaluate_all,
    matching_statements,
)

ALLOW, DENY, NONE = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY
V12, V08 = "2012-10-17", "2008-10-17"
BUCKET = "arn:aws:s3:::log-archive"
MGMT, MEMBER, OTHER = "111111111111", "222222222222", "333333333333"
ORG = "o-abc123def4"
TRAIL = f"arn:aws:cloudtrail:us-east-1:{MGMT}:trail/org-trail"
KEY = f"arn:aws:kms:us-east-1:{MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CT = Principal.service("cloudtrail.amazonaws.com")
ROLE = Principal.aws(f"arn:aws:iam::{MEMBER}:role/reader")
SESSION = Principal.aws(f"arn:aws:sts::{MEMBER}:assumed-role/reader/alice")
ANON = Principal.anonymous()


def stmt(effect: str = "Allow", **kw: Any) -> dict[str, Any]:
    """A statement with permissive defaults; override any element by keyword."""
    out: dict[str, Any] = {"Effect": effect}
    if "NotPrincipal" not in kw:
        out["Principal"] = "*"
    if "NotAction" not in kw:
        out["Action"] = "*"
    if "NotResource" not in kw:
        out["Resource"] = "*"
    out.update(kw)
    return out


def pol(*statements: dict[str, Any], version: str | None = V12) -> dict[str, Any]:
    doc: dict[str, Any] = {"Statement": list(statements)}
    if version:
        doc["Version"] = version
    return doc


def req(
    principal: Principal = ROLE,
    action: str = "s3:GetObject",
    resource: str = f"{BUCKET}/x",
    **context: Any,
) -> Request:
    """A request; context keys use `__` for `:` and `_` stays (aws__SourceAccount)."""
    return Request(
        principal, action, resource, {k.replace("__", ":"): v for k, v in context.items()}
    )


def cond(op: str, key: str, value: Any, effect: str = "Allow") -> dict[str, Any]:
    return pol(stmt(effect, Condition={op: {key: value}}))


# (id, policy, request, expected)
CASES: list[tuple[str, dict[str, Any], Request, Decision]] = [
    # ---- combining statements
    ("no statement applies", pol(stmt(Action="s3:PutObject")), req(), NONE),
    ("allow applies", pol(stmt(Action="s3:GetObject")), req(), ALLOW),
    ("deny beats allow", pol(stmt(), stmt("Deny", Action="s3:GetObject")), req(), DENY),
    ("deny order irrelevant", pol(stmt("Deny", Action="s3:Get*"), stmt()), req(), DENY),
    ("deny elsewhere no effect", pol(stmt(), stmt("Deny", Action="s3:PutObject")), req(), ALLOW),
    ("single statement not list", {"Version": V12, "Statement": stmt()}, req(), ALLOW),
    # ---- Action / NotAction
    ("action prefix wildcard", pol(stmt(Action="s3:Get*")), req(), ALLOW),
    ("action wildcard no match", pol(stmt(Action="s3:Put*")), req(), NONE),
    ("action ? wildcard", pol(stmt(Action="s3:?etObject")), req(), ALLOW),
    ("action case-insensitive", pol(stmt(Action="S3:GETOBJECT")), req(), ALLOW),
    ("action request case", pol(stmt(Action="s3:GetObject")), req(action="S3:getobject"), ALLOW),
    ("action list OR", pol(stmt(Action=["s3:PutObject", "s3:GetObject"])), req(), ALLOW),
    ("action other service", pol(stmt(Action="kms:*")), req(), NONE),
    (
        "NotAction excludes listed",
        pol(stmt("Deny", NotAction="s3:GetObject"), stmt()),
        req(),
        ALLOW,
    ),
    (
        "NotAction covers unlisted",
        pol(stmt("Deny", NotAction="s3:GetObject"), stmt()),
        req(action="s3:DeleteObject"),
        DENY,
    ),
    # ---- Resource / NotResource
    ("resource object wildcard", pol(stmt(Resource=f"{BUCKET}/*")), req(), ALLOW),
    ("bucket arn is not object", pol(stmt(Resource=f"{BUCKET}/*")), req(resource=BUCKET), NONE),
    ("resource case-sensitive", pol(stmt(Resource="arn:aws:s3:::Log-Archive/*")), req(), NONE),
    ("resource ? one char", pol(stmt(Resource=f"{BUCKET}/?")), req(), ALLOW),
    ("resource ? not two", pol(stmt(Resource=f"{BUCKET}/?")), req(resource=f"{BUCKET}/xy"), NONE),
    (
        "resource * spans slashes",
        pol(stmt(Resource=f"{BUCKET}/AWSLogs/*/CloudTrail/*")),
        req(resource=f"{BUCKET}/AWSLogs/{ORG}/{MEMBER}/CloudTrail/us-east-1/f.json.gz"),
        ALLOW,
    ),
    (
        "mid-segment * stays in segment",
        pol(stmt(Resource="arn:aws:sns:us-*1:111111111111:t")),
        req(resource="arn:aws:sns:us-east:x1:111111111111:t"),
        NONE,
    ),
    (
        "mid-segment * within segment",
        pol(stmt(Resource="arn:aws:sns:us-*1:111111111111:t")),
        req(resource="arn:aws:sns:us-east-1:111111111111:t"),
        ALLOW,
    ),
    (
        "NotResource exempts listed",
        pol(stmt(), stmt("Deny", NotResource=f"{BUCKET}/public/*")),
        req(resource=f"{BUCKET}/public/a"),
        ALLOW,
    ),
    (
        "NotResource hits unlisted",
        pol(stmt(), stmt("Deny", NotResource=f"{BUCKET}/public/*")),
        req(resource=f"{BUCKET}/private/a"),
        DENY,
    ),
    # ---- Principal / NotPrincipal
    (
        "service principal",
        pol(stmt(Principal={"Service": "cloudtrail.amazonaws.com"})),
        req(CT),
        ALLOW,
    ),
    (
        "other service principal",
        pol(stmt(Principal={"Service": "config.amazonaws.com"})),
        req(CT),
        NONE,
    ),
    ("service list", pol(stmt(Principal={"Service": ["a.amazonaws.com", CT.id]})), req(CT), ALLOW),
    ("role is not service", pol(stmt(Principal={"Service": CT.id})), req(ROLE), NONE),
    ("account id covers role", pol(stmt(Principal={"AWS": MEMBER})), req(ROLE), ALLOW),
    (
        "root arn covers role",
        pol(stmt(Principal={"AWS": f"arn:aws:iam::{MEMBER}:root"})),
        req(),
        ALLOW,
    ),
    ("other account", pol(stmt(Principal={"AWS": OTHER})), req(ROLE), NONE),
    ("role arn exact", pol(stmt(Principal={"AWS": ROLE.id})), req(ROLE), ALLOW),
    ("role arn covers session", pol(stmt(Principal={"AWS": ROLE.id})), req(SESSION), ALLOW),
    (
        "role with path covers session",
        pol(stmt(Principal={"AWS": f"arn:aws:iam::{MEMBER}:role/team/reader"})),
        req(SESSION),
        ALLOW,
    ),
    (
        "other role not session's",
        pol(stmt(Principal={"AWS": f"arn:aws:iam::{MEMBER}:role/writer"})),
        req(SESSION),
        NONE,
    ),
    ("star covers anonymous", pol(stmt(Principal="*")), req(ANON), ALLOW),
    ("AWS star covers anonymous", pol(stmt(Principal={"AWS": "*"})), req(ANON), ALLOW),
    ("AWS star covers service", pol(stmt(Principal={"AWS": "*"})), req(CT), ALLOW),
    ("account not anonymous", pol(stmt(Principal={"AWS": MEMBER})), req(ANON), NONE),
    ("account not service", pol(stmt(Principal={"AWS": MEMBER})), req(CT), NONE),
    (
        "NotPrincipal exempts listed",
        pol(stmt(), stmt("Deny", NotPrincipal={"AWS": MEMBER})),
        req(ROLE),
        ALLOW,
    ),
    (
        "NotPrincipal hits others",
        pol(stmt(), stmt("Deny", NotPrincipal={"AWS": MEMBER})),
        req(Principal.aws(OTHER)),
        DENY,
    ),
    # ---- policy variables in Resource
    (
        "variable resource matches own prefix",
        pol(stmt(Resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*")),
        req(CT, resource=f"{BUCKET}/AWSLogs/{MEMBER}/f", aws__SourceAccount=MEMBER),
        ALLOW,
    ),
    (
        "variable resource rejects other prefix",
        pol(stmt(Resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*")),
        req(CT, resource=f"{BUCKET}/AWSLogs/{OTHER}/f", aws__SourceAccount=MEMBER),
        NONE,
    ),
    (
        "variable resource, key absent",
        pol(stmt(Resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*")),
        req(CT, resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/f"),
        NONE,
    ),
    (
        "variable key name case-insensitive",
        pol(stmt(Resource=f"{BUCKET}/AWSLogs/${{AWS:sourceaccount}}/*")),
        req(CT, resource=f"{BUCKET}/AWSLogs/{MEMBER}/f", aws__SourceAccount=MEMBER),
        ALLOW,
    ),
    (
        "variable not wildcard: value * literal",
        pol(stmt(Resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*")),
        req(CT, resource=f"{BUCKET}/AWSLogs/{MEMBER}/f", aws__SourceAccount="*"),
        NONE,
    ),
    (
        "multivalued key is no variable",
        pol(stmt(Resource=f"{BUCKET}/${{aws:TagKeys}}")),
        req(resource=f"{BUCKET}/a", aws__TagKeys=["a", "b"]),
        NONE,
    ),
    (
        "variable default value",
        pol(stmt(Resource=f"{BUCKET}/${{aws:PrincipalTag/team, 'shared'}}/*")),
        req(resource=f"{BUCKET}/shared/a"),
        ALLOW,
    ),
    (
        "variable default unused when present",
        pol(stmt(Resource=f"{BUCKET}/${{aws:PrincipalTag/team, 'shared'}}/*")),
        req(resource=f"{BUCKET}/shared/a", **{"aws:PrincipalTag/team": "red"}),
        NONE,
    ),
    (
        "2008 policy: no substitution",
        pol(stmt(Resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*"), version=V08),
        req(CT, resource=f"{BUCKET}/AWSLogs/{MEMBER}/f", aws__SourceAccount=MEMBER),
        NONE,
    ),
    (
        "no Version: no substitution",
        pol(stmt(Resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*"), version=None),
        req(CT, resource=f"{BUCKET}/AWSLogs/{MEMBER}/f", aws__SourceAccount=MEMBER),
        NONE,
    ),
    (
        "${*} is a literal star in Resource",
        pol(stmt(Resource=f"{BUCKET}/a${{*}}")),
        req(resource=f"{BUCKET}/ab"),
        NONE,
    ),
    (
        "${*} matches a literal star",
        pol(stmt(Resource=f"{BUCKET}/a${{*}}")),
        req(resource=f"{BUCKET}/a*"),
        ALLOW,
    ),
    (
        "unresolved NotResource matches nothing",
        pol(stmt(), stmt("Deny", NotResource=f"{BUCKET}/${{aws:SourceAccount}}/*")),
        req(resource=f"{BUCKET}/{MEMBER}/a"),
        DENY,
    ),
    # ---- String operators
    (
        "StringEquals hit",
        cond("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control"),
        req(**{"s3:x-amz-acl": "bucket-owner-full-control"}),
        ALLOW,
    ),
    (
        "StringEquals case-sensitive",
        cond("StringEquals", "s3:x-amz-acl", "Bucket-Owner-Full-Control"),
        req(**{"s3:x-amz-acl": "bucket-owner-full-control"}),
        NONE,
    ),
    (
        "StringEqualsIgnoreCase",
        cond("StringEqualsIgnoreCase", "s3:x-amz-acl", "BUCKET-OWNER-FULL-CONTROL"),
        req(**{"s3:x-amz-acl": "bucket-owner-full-control"}),
        ALLOW,
    ),
    (
        "StringEquals no wildcard",
        cond("StringEquals", "aws:SourceAccount", "2*"),
        req(aws__SourceAccount=MEMBER),
        NONE,
    ),
    (
        "StringLike wildcard",
        cond("StringLike", "aws:SourceAccount", "2*"),
        req(aws__SourceAccount=MEMBER),
        ALLOW,
    ),
    (
        "StringLike case-sensitive",
        cond("StringLike", "s3:prefix", "Home/*"),
        req(s3__prefix="home/a"),
        NONE,
    ),
    (
        "StringLike ${*} literal",
        cond("StringLike", "s3:prefix", "a${*}"),
        req(s3__prefix="ab"),
        NONE,
    ),
    ("StringLike ${*} hit", cond("StringLike", "s3:prefix", "a${*}"), req(s3__prefix="a*"), ALLOW),
    ("StringEquals ${$}", cond("StringEquals", "s3:prefix", "${$}x"), req(s3__prefix="$x"), ALLOW),
    (
        "values OR",
        cond("StringEquals", "aws:SourceAccount", [OTHER, MEMBER]),
        req(aws__SourceAccount=MEMBER),
        ALLOW,
    ),
    (
        "key names case-insensitive",
        cond("StringEquals", "AWS:SOURCEACCOUNT", MEMBER),
        req(aws__sourceaccount=MEMBER),
        ALLOW,
    ),
    ("positive op, key absent", cond("StringEquals", "aws:SourceAccount", MEMBER), req(), NONE),
    (
        "StringNotEquals, key absent",
        cond("StringNotEquals", "aws:SourceAccount", MEMBER, "Deny"),
        req(),
        DENY,
    ),
    (
        "StringNotLike, key absent",
        cond("StringNotLike", "aws:SourceAccount", "2*", "Deny"),
        req(),
        DENY,
    ),
    (
        "StringNotEquals hit",
        cond("StringNotEquals", "aws:SourceAccount", MEMBER, "Deny"),
        req(aws__SourceAccount=OTHER),
        DENY,
    ),
    (
        "StringNotEquals miss",
        cond("StringNotEquals", "aws:SourceAccount", MEMBER, "Deny"),
        req(aws__SourceAccount=MEMBER),
        NONE,
    ),
    (
        "negated values are NOR",
        cond("StringNotEquals", "aws:SourceAccount", [OTHER, MEMBER], "Deny"),
        req(aws__SourceAccount=MEMBER),
        NONE,
    ),
    # ---- IfExists
    (
        "IfExists, key absent",
        cond("StringEqualsIfExists", "aws:SourceAccount", MEMBER),
        req(),
        ALLOW,
    ),
    (
        "IfExists, key differs",
        cond("StringEqualsIfExists", "aws:SourceAccount", MEMBER),
        req(aws__SourceAccount=OTHER),
        NONE,
    ),
    (
        "IfExists, key equal",
        cond("StringEqualsIfExists", "aws:SourceAccount", MEMBER),
        req(aws__SourceAccount=MEMBER),
        ALLOW,
    ),
    (
        "NotEqualsIfExists, key absent",
        cond("StringNotEqualsIfExists", "aws:SourceAccount", MEMBER, "Deny"),
        req(),
        DENY,
    ),
    ("ArnLikeIfExists, key absent", cond("ArnLikeIfExists", "aws:SourceArn", TRAIL), req(), ALLOW),
    # ---- ARN operators
    (
        "ArnLike segments",
        cond("ArnLike", "aws:SourceArn", f"arn:aws:cloudtrail:*:{MGMT}:trail/*"),
        req(aws__SourceArn=TRAIL),
        ALLOW,
    ),
    (
        "ArnEquals takes wildcards",
        cond("ArnEquals", "aws:SourceArn", f"arn:aws:cloudtrail:*:{MGMT}:*"),
        req(aws__SourceArn=TRAIL),
        ALLOW,
    ),
    (
        "ArnLike other account",
        cond("ArnLike", "aws:SourceArn", f"arn:aws:cloudtrail:*:{OTHER}:trail/*"),
        req(aws__SourceArn=TRAIL),
        NONE,
    ),
    (
        "ArnLike star stays in segment",
        cond("ArnLike", "aws:SourceArn", "arn:aws:someservice:*:111122223333:finance/*"),
        req(
            aws__SourceArn="arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:"
            "finance/document.txt"
        ),
        NONE,
    ),
    (
        "StringLike star spans colons",
        cond("StringLike", "aws:SourceArn", "arn:aws:someservice:*:111122223333:finance/*"),
        req(
            aws__SourceArn="arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:"
            "finance/document.txt"
        ),
        ALLOW,
    ),
    (
        "ArnLike not an ARN",
        cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::*"),
        req(aws__SourceArn="bucket"),
        NONE,
    ),
    ("ArnNotLike, key absent", cond("ArnNotLike", "aws:SourceArn", TRAIL, "Deny"), req(), DENY),
    (
        "ArnNotEquals hit",
        cond("ArnNotEquals", "aws:SourceArn", TRAIL, "Deny"),
        req(aws__SourceArn=TRAIL.replace("org-trail", "rogue")),
        DENY,
    ),
    (
        "ArnLike resource part case-sensitive",
        cond("ArnLike", "aws:SourceArn", TRAIL.upper()),
        req(aws__SourceArn=TRAIL),
        NONE,
    ),
    # ---- policy variables in condition values
    (
        "variable in ArnLike",
        cond("ArnLike", "aws:SourceArn", "arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/*"),
        req(aws__SourceArn=TRAIL, aws__SourceAccount=MGMT),
        ALLOW,
    ),
    (
        "variable in ArnLike mismatch",
        cond("ArnLike", "aws:SourceArn", "arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/*"),
        req(aws__SourceArn=TRAIL, aws__SourceAccount=MEMBER),
        NONE,
    ),
    (
        "variable in StringEquals",
        cond("StringEquals", "kms:CallerAccount", "${aws:PrincipalAccount}"),
        req(kms__CallerAccount=MEMBER),
        ALLOW,
    ),
    (
        "unresolved variable never equal",
        cond("StringEquals", "s3:prefix", "${aws:userid}"),
        req(s3__prefix=""),
        NONE,
    ),
    (
        "unresolved variable: NotEquals true",
        cond("StringNotEquals", "s3:ExistingObjectTag/Team", "${aws:PrincipalTag/Team}", "Deny"),
        req(**{"s3:ExistingObjectTag/Team": "red"}),
        DENY,
    ),
    (
        "variable in StringLike keeps wildcard",
        cond("StringLike", "s3:prefix", "${aws:SourceAccount}/*"),
        req(s3__prefix=f"{MEMBER}/a/b", aws__SourceAccount=MEMBER),
        ALLOW,
    ),
    # ---- Bool / Null
    (
        "Bool false hits",
        cond("Bool", "aws:SecureTransport", "false", "Deny"),
        req(aws__SecureTransport="false"),
        DENY,
    ),
    (
        "Bool false misses true",
        cond("Bool", "aws:SecureTransport", "false", "Deny"),
        req(aws__SecureTransport="true"),
        NONE,
    ),
    (
        "Bool JSON bool, py bool",
        cond("Bool", "aws:SecureTransport", False, "Deny"),
        req(aws__SecureTransport=False),
        DENY,
    ),
    ("Bool, key absent", cond("Bool", "aws:SecureTransport", "false", "Deny"), req(), NONE),
    ("Null true, key absent", cond("Null", "aws:SourceArn", "true"), req(), ALLOW),
    (
        "Null true, key present",
        cond("Null", "aws:SourceArn", "true"),
        req(aws__SourceArn=TRAIL),
        NONE,
    ),
    (
        "Null false, key present",
        cond("Null", "kms:EncryptionContext:aws:cloudtrail:arn", "false"),
        req(**{"kms:EncryptionContext:aws:cloudtrail:arn": TRAIL}),
        ALLOW,
    ),
    (
        "Null false, key absent",
        cond("Null", "kms:EncryptionContext:aws:cloudtrail:arn", "false"),
        req(),
        NONE,
    ),
    # ---- set operators
    (
        "ForAllValues subset",
        cond("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"]),
        req(aws__TagKeys=["a"]),
        ALLOW,
    ),
    (
        "ForAllValues not subset",
        cond("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"]),
        req(aws__TagKeys=["a", "c"]),
        NONE,
    ),
    (
        "ForAllValues, key absent",
        cond("ForAllValues:StringEquals", "aws:TagKeys", ["a"]),
        req(),
        ALLOW,
    ),
    (
        "ForAllValues, empty string",
        cond("ForAllValues:StringEquals", "aws:TagKeys", ["a"]),
        req(aws__TagKeys=""),
        ALLOW,
    ),
    (
        "ForAnyValue overlap",
        cond("ForAnyValue:StringEquals", "aws:TagKeys", ["a", "b"]),
        req(aws__TagKeys=["c", "a"]),
        ALLOW,
    ),
    (
        "ForAnyValue disjoint",
        cond("ForAnyValue:StringEquals", "aws:TagKeys", ["a", "b"]),
        req(aws__TagKeys=["c"]),
        NONE,
    ),
    (
        "ForAnyValue, key absent",
        cond("ForAnyValue:StringEquals", "aws:TagKeys", ["a"]),
        req(),
        NONE,
    ),
    (
        "ForAnyValue negated, key absent",
        cond("ForAnyValue:StringNotEquals", "aws:TagKeys", ["a"], "Deny"),
        req(),
        NONE,
    ),
    (
        "ForAnyValue negated, one outsider",
        cond("ForAnyValue:StringNotEquals", "aws:TagKeys", ["a"], "Deny"),
        req(aws__TagKeys=["a", "z"]),
        DENY,
    ),
    (
        "ForAllValues negated, all outsiders",
        cond("ForAllValues:StringNotLike", "aws:TagKeys", ["a*"]),
        req(aws__TagKeys=["x", "y"]),
        ALLOW,
    ),
    (
        "ForAllValues negated, one insider",
        cond("ForAllValues:StringNotLike", "aws:TagKeys", ["a*"]),
        req(aws__TagKeys=["x", "ab"]),
        NONE,
    ),
    (
        "unqualified multivalue = any",
        cond("StringEquals", "aws:TagKeys", "a"),
        req(aws__TagKeys=["c", "a"]),
        ALLOW,
    ),
    # ---- Numeric / Date / IP / Binary
    (
        "Numeric key spelled differently",
        cond("NumericLessThanEquals", "s3:max-keys", "10"),
        req(s3__max_keys="10"),
        NONE,
    ),  # key spelled s3:max_keys: absent -> false
    (
        "NumericLessThanEquals",
        cond("NumericLessThanEquals", "s3:max-keys", "10"),
        req(**{"s3:max-keys": "10"}),
        ALLOW,
    ),
    (
        "NumericLessThan",
        cond("NumericLessThan", "s3:max-keys", "10"),
        req(**{"s3:max-keys": "10"}),
        NONE,
    ),
    (
        "NumericGreaterThan",
        cond("NumericGreaterThan", "s3:max-keys", 5),
        req(**{"s3:max-keys": 7}),
        ALLOW,
    ),
    (
        "NumericNotEquals, key absent",
        cond("NumericNotEquals", "s3:max-keys", "5", "Deny"),
        req(),
        DENY,
    ),
    (
        "Numeric garbage",
        cond("NumericEquals", "s3:max-keys", "5"),
        req(**{"s3:max-keys": "five"}),
        NONE,
    ),
    (
        "DateGreaterThan",
        cond("DateGreaterThan", "aws:CurrentTime", "2024-01-01T00:00:00Z"),
        req(aws__CurrentTime="2025-06-01T12:00:00Z"),
        ALLOW,
    ),
    (
        "DateLessThan epoch",
        cond("DateLessThan", "aws:EpochTime", "1700000000"),
        req(aws__EpochTime="1800000000"),
        NONE,
    ),
    (
        "IpAddress in CIDR",
        cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
        req(aws__SourceIp="10.1.2.3"),
        ALLOW,
    ),
    (
        "IpAddress outside",
        cond("IpAddress", "aws:SourceIp", ["10.0.0.0/8", "2001:db8::/32"]),
        req(aws__SourceIp="192.0.2.1"),
        NONE,
    ),
    (
        "NotIpAddress outside",
        cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "Deny"),
        req(aws__SourceIp="192.0.2.1"),
        DENY,
    ),
    ("BinaryEquals", cond("BinaryEquals", "k:bin", "QmluYXJ5"), req(k__bin="QmluYXJ5"), ALLOW),
    # ---- AND across keys and operators
    (
        "two keys AND, both hold",
        pol(
            stmt(
                Condition={
                    "StringEquals": {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        "aws:SourceArn": TRAIL,
                    }
                }
            )
        ),
        req(CT, aws__SourceArn=TRAIL, **{"s3:x-amz-acl": "bucket-owner-full-control"}),
        ALLOW,
    ),
    (
        "two keys AND, one fails",
        pol(
            stmt(
                Condition={
                    "StringEquals": {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        "aws:SourceArn": TRAIL,
                    }
                }
            )
        ),
        req(CT, aws__SourceArn=TRAIL, **{"s3:x-amz-acl": "private"}),
        NONE,
    ),
    (
        "two operators AND, one fails",
        pol(
            stmt(
                Condition={
                    "StringEquals": {"aws:SourceArn": TRAIL},
                    "Bool": {"aws:SecureTransport": "true"},
                }
            )
        ),
        req(CT, aws__SourceArn=TRAIL, aws__SecureTransport="false"),
        NONE,
    ),
    # ---- keys derived from the principal
    (
        "derived PrincipalServiceName",
        cond("StringNotEqualsIfExists", "aws:PrincipalServiceName", CT.id, "Deny"),
        req(Principal.service("config.amazonaws.com")),
        DENY,
    ),
    (
        "derived PrincipalServiceName match",
        cond("StringNotEqualsIfExists", "aws:PrincipalServiceName", CT.id, "Deny"),
        req(CT),
        NONE,
    ),
    (
        "derived PrincipalIsAWSService",
        cond("Bool", "aws:PrincipalIsAWSService", "false", "Deny"),
        req(ROLE),
        DENY,
    ),
    (
        "derived PrincipalArn of session is role",
        cond("ArnEquals", "aws:PrincipalArn", ROLE.id),
        req(SESSION),
        ALLOW,
    ),
    (
        "caller context overrides derived",
        cond("StringEquals", "aws:PrincipalAccount", OTHER),
        req(ROLE, aws__PrincipalAccount=OTHER),
        ALLOW,
    ),
    (
        "anonymous gets no derived keys",
        cond("Null", "aws:PrincipalIsAWSService", "true"),
        req(ANON),
        ALLOW,
    ),
]


@pytest.mark.parametrize(
    ("policy", "request_", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decision(policy: dict[str, Any], request_: Request, expected: Decision) -> None:
    assert evaluate(policy, request_) is expected


def test_case_ids_unique() -> None:
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))


# ---- the documented organization-trail bucket policy, plus the variable-based member statement

ORG_BUCKET_POLICY = pol(
    stmt(
        "Deny",
        Sid="DenyInsecureTransport",
        Action="s3:*",
        Resource=[BUCKET, f"{BUCKET}/*"],
        Condition={"Bool": {"aws:SecureTransport": "false"}},
    ),
    stmt(
        Sid="AWSCloudTrailAclCheck",
        Principal={"Service": CT.id},
        Action="s3:GetBucketAcl",
        Resource=BUCKET,
        Condition={"StringEquals": {"aws:SourceArn": TRAIL}},
    ),
    stmt(
        Sid="AWSCloudTrailWrite",
        Principal={"Service": CT.id},
        Action="s3:PutObject",
        Resource=f"{BUCKET}/AWSLogs/{MGMT}/*",
        Condition={
            "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL}
        },
    ),
    stmt(
        Sid="AWSCloudTrailOrganizationWrite",
        Principal={"Service": CT.id},
        Action="s3:PutObject",
        Resource=f"{BUCKET}/AWSLogs/{ORG}/*",
        Condition={
            "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL}
        },
    ),
    stmt(
        Sid="MemberTrailWrite",
        Principal={"Service": CT.id},
        Action="s3:PutObject",
        Resource=f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*",
        Condition={
            "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceOrgID": ORG}
        },
    ),
)


def _put(key: str, **context: Any) -> Request:
    base = {"aws:SecureTransport": "true", "s3:x-amz-acl": "bucket-owner-full-control"}
    base.update({k.replace("__", ":"): v for k, v in context.items()})
    return Request(CT, "s3:PutObject", f"{BUCKET}/{key}", base)


ORG_CASES = [
    (
        "org trail writes org prefix",
        _put(
            f"AWSLogs/{ORG}/{MEMBER}/CloudTrail/us-east-1/2024/01/01/f.json.gz",
            aws__SourceArn=TRAIL,
            aws__SourceAccount=MGMT,
        ),
        ALLOW,
    ),
    (
        "org trail writes mgmt prefix",
        _put(
            f"AWSLogs/{MGMT}/CloudTrail/us-east-1/f", aws__SourceArn=TRAIL, aws__SourceAccount=MGMT
        ),
        ALLOW,
    ),
    (
        "other trail refused on org prefix",
        _put(
            f"AWSLogs/{ORG}/{MEMBER}/f",
            aws__SourceArn=TRAIL.replace(MGMT, OTHER),
            aws__SourceAccount=OTHER,
        ),
        NONE,
    ),
    (
        "without acl refused",
        _put(f"AWSLogs/{ORG}/{MEMBER}/f", aws__SourceArn=TRAIL, **{"s3:x-amz-acl": "private"}),
        NONE,
    ),
    (
        "over plain HTTP denied",
        _put(f"AWSLogs/{ORG}/{MEMBER}/f", aws__SourceArn=TRAIL, aws__SecureTransport="false"),
        DENY,
    ),
    (
        "member trail writes own prefix",
        _put(f"AWSLogs/{MEMBER}/CloudTrail/f", aws__SourceAccount=MEMBER, aws__SourceOrgID=ORG),
        ALLOW,
    ),
    (
        "member trail cannot write another's prefix",
        _put(f"AWSLogs/{OTHER}/CloudTrail/f", aws__SourceAccount=MEMBER, aws__SourceOrgID=ORG),
        NONE,
    ),
    (
        "outside-org trail refused",
        _put(f"AWSLogs/{OTHER}/CloudTrail/f", aws__SourceAccount=OTHER, aws__SourceOrgID="o-zzz"),
        NONE,
    ),
]


@pytest.mark.parametrize(
    ("request_", "expected"), [c[1:] for c in ORG_CASES], ids=[c[0] for c in ORG_CASES]
)
def test_org_trail_bucket_policy(request_: Request, expected: Decision) -> None:
    assert evaluate(ORG_BUCKET_POLICY, request_) is expected


# ---- the documented CloudTrail KMS key policy statements

KEY_POLICY = pol(
    stmt(
        Sid="Allow CloudTrail to encrypt logs",
        Principal={"Service": CT.id},
        Action="kms:GenerateDataKey*",
        Resource=KEY,
        Condition={
            "StringLike": {
                "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{MGMT}:trail/*"
            },
            "StringEquals": {"aws:SourceArn": TRAIL},
        },
    ),
    stmt(
        Sid="Allow CloudTrail to describe key",
        Principal={"Service": CT.id},
        Action="kms:DescribeKey",
        Resource=KEY,
    ),
    stmt(
        Sid="Allow log readers to decrypt",
        Principal={"AWS": "*"},
        Action=["kms:Decrypt", "kms:ReEncryptFrom"],
        Resource=KEY,
        Condition={
            "StringEquals": {"kms:CallerAccount": MEMBER},
            "StringLike": {
                "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{MGMT}:trail/*"
            },
        },
    ),
)
CTX = "kms:EncryptionContext:aws:cloudtrail:arn"
KEY_CASES = [
    (
        "cloudtrail GenerateDataKey",
        Request(CT, "kms:GenerateDataKey", KEY, {CTX: TRAIL, "aws:SourceArn": TRAIL}),
        ALLOW,
    ),
    (
        "cloudtrail other trail",
        Request(
            CT,
            "kms:GenerateDataKey",
            KEY,
            {CTX: TRAIL.replace(MGMT, OTHER), "aws:SourceArn": TRAIL},
        ),
        NONE,
    ),
    ("cloudtrail Decrypt not granted", Request(CT, "kms:Decrypt", KEY, {CTX: TRAIL}), NONE),
    ("cloudtrail DescribeKey", Request(CT, "kms:DescribeKey", KEY), ALLOW),
    (
        "reader decrypts trail logs",
        Request(ROLE, "kms:Decrypt", KEY, {CTX: TRAIL, "kms:CallerAccount": MEMBER}),
        ALLOW,
    ),
    (
        "reader without context",
        Request(ROLE, "kms:Decrypt", KEY, {"kms:CallerAccount": MEMBER}),
        NONE,
    ),
    (
        "other account reader",
        Request(Principal.aws(OTHER), "kms:Decrypt", KEY, {CTX: TRAIL, "kms:CallerAccount": OTHER}),
        NONE,
    ),
    ("wrong key resource", Request(CT, "kms:DescribeKey", KEY[:-2] + "zz"), NONE),
]


@pytest.mark.parametrize(
    ("request_", "expected"), [c[1:] for c in KEY_CASES], ids=[c[0] for c in KEY_CASES]
)
def test_cloudtrail_key_policy(request_: Request, expected: Decision) -> None:
    assert evaluate(KEY_POLICY, request_) is expected


# ---- helpers, combining, errors


def test_evaluate_all_deny_from_any_policy_wins() -> None:
    allow, deny = pol(stmt()), pol(stmt("Deny", Action="s3:GetObject"))
    assert evaluate_all([allow], req()) is ALLOW
    assert evaluate_all([allow, deny], req()) is DENY
    assert evaluate_all([], req()) is NONE


def test_matching_statements_names_sids_and_indexes() -> None:
    policy = pol(stmt(Sid="A"), stmt("Deny", Action="s3:Get*"), stmt(Action="kms:*"))
    assert matching_statements(policy, req()) == [("Allow", "A"), ("Deny", "1")]


def test_principal_helpers() -> None:
    assert Principal.aws(MEMBER).id == f"arn:aws:iam::{MEMBER}:root"
    assert Principal.aws(MEMBER).account == MEMBER
    assert SESSION.account == MEMBER
    assert CT.account is None
    with pytest.raises(ValueError):
        Principal.aws("reader")


def test_request_keys_are_lowercased_and_stringified() -> None:
    keys = Request(CT, "s3:PutObject", BUCKET, {"AWS:SecureTransport": True, "N": 5}).keys()
    assert keys["aws:securetransport"] == ("true",)
    assert keys["n"] == ("5",)
    assert keys["aws:principalservicename"] == (CT.id,)
    bare = Request(CT, "s3:PutObject", BUCKET, derive_principal_keys=False).keys()
    assert bare == {}


@pytest.mark.parametrize(
    "policy",
    [
        {"Version": V12},
        pol(stmt(Condition={"StringEqualz": {"k": "v"}})),
        pol(stmt(Condition={"NullIfExists": {"k": "true"}})),
        pol(stmt(Condition={"StringEquals": "v"})),
        pol(stmt(NotAction="s3:GetObject") | {"Action": "*"}),
        pol({"Effect": "Allow", "Action": "*", "Resource": "*"}),
        pol(stmt(Effect="allow")),
        pol(stmt(Principal="arn:aws:iam::111111111111:root")),
    ],
    ids=[
        "no Statement",
        "unknown operator",
        "Null IfExists",
        "condition not a map",
        "Action and NotAction",
        "no Principal",
        "lower-case Effect",
        "Principal string",
    ],
)
def test_malformed_policies_raise(policy: dict[str, Any]) -> None:
    with pytest.raises(PolicyError):
        evaluate(policy, req())
