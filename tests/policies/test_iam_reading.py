"""How the pack reads IAM policy documents (`guardrails.iam`), pinned case by case: the Not-
elements, case-insensitive actions, policy variables in resources, the condition operators
(`...IfExists`, `ForAllValues:` / `ForAnyValue:`, the negated ones), the keys that scope a public
principal, and whom an Allow admits (`admitted_callers`, whose `why` ctl-s3-020 reports)."""

from __future__ import annotations

from typing import Any

import pytest
from guardrails import iam
from guardrails.iam import Callers
from guardrails.support import Res
from literals import (
    ACCOUNT,
    BUCKET_NAME,
    MEMBER,
    ORG,
    READER,
    TRAIL_ARN,
    deny_unlisted_accounts,
    statement,
)

CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}
OBJECTS = "arn:aws:s3:::logs/*"


def parsed(**fields: Any) -> iam.Statement:
    """The one statement of a policy holding an Allow with `fields` (Effect may be overridden)."""
    (stmt,) = iam.parse_policy({"Statement": [statement(**fields)]})
    return stmt


def parsed_all(*statements: dict[str, Any]) -> list[iam.Statement]:
    return iam.parse_policy({"Statement": list(statements)})


# --- Action / NotAction, Resource / NotResource --------------------------------------------------


@pytest.mark.parametrize(
    ("written", "asked", "allowed"),
    [
        ("S3:PutObject", "s3:PutObject", True),
        ("s3:putobject", "s3:PutObject", True),
        ("S3:Put*", "s3:PutObject", True),
        ("s3:GetObject", "s3:PutObject", False),
    ],
)
def test_actions_match_whatever_their_letter_case(written: str, asked: str, allowed: bool) -> None:
    assert iam.action_allowed(parsed(Action=written, Resource="*"), asked) is allowed


def test_not_action_allows_every_action_but_the_listed_ones() -> None:
    stmt = parsed(NotAction=["s3:PutObject"], Resource="*")
    assert stmt.not_action and stmt.actions == ("s3:PutObject",)
    assert not iam.action_allowed(stmt, "s3:PutObject")
    assert iam.action_allowed(stmt, "s3:GetObject")


def test_not_resource_covers_every_resource_but_the_listed_ones() -> None:
    stmt = parsed(Action="s3:*", NotResource=["arn:aws:s3:::logs/private/*"])
    assert stmt.not_resource and stmt.resources == ("arn:aws:s3:::logs/private/*",)
    assert not iam.resource_covered(stmt, "arn:aws:s3:::logs/private/a")
    assert iam.resource_covered(stmt, "arn:aws:s3:::logs/public/a")


def test_a_not_resource_with_a_policy_variable_covers_only_what_it_surely_misses() -> None:
    stmt = parsed(Action="s3:*", NotResource=["arn:aws:s3:::logs/${aws:username}/*"])
    # The variable may name any user, so the exemption may reach any object under logs/.
    assert not iam.resource_covered(stmt, "arn:aws:s3:::logs/alice/a")
    assert not iam.resource_covered(stmt, "arn:aws:s3:::logs/alice/a", variables_match=False)
    assert iam.resource_covered(stmt, "arn:aws:s3:::other/alice/a")


def test_a_resource_with_a_policy_variable_may_or_may_not_match_as_asked() -> None:
    stmt = parsed(Action="s3:*", Resource=["arn:aws:s3:::logs/${aws:username}/*"])
    assert iam.resource_covered(stmt, "arn:aws:s3:::logs/alice/a")  # a grant that might reach it
    assert not iam.resource_covered(stmt, "arn:aws:s3:::logs/alice/a", variables_match=False)
    assert not iam.resource_covered(stmt, "arn:aws:s3:::other/alice/a")


def test_condition_values_are_strings_and_keys_lower_case() -> None:
    stmt = parsed(
        Action="kms:CreateGrant",
        Resource="*",
        Condition={"Bool": {"kms:GrantIsForAWSResource": True, "aws:SecureTransport": False}},
    )
    assert stmt.conditions == {
        "Bool": {"kms:grantisforawsresource": ("true",), "aws:securetransport": ("false",)}
    }


# --- condition operators --------------------------------------------------------------------------

SOURCE_ACCOUNT = {"aws:SourceAccount": ACCOUNT}


@pytest.mark.parametrize(
    ("condition", "found"),
    [
        ({"StringEquals": SOURCE_ACCOUNT}, ["StringEquals"]),
        ({"stringequals": SOURCE_ACCOUNT}, ["stringequals"]),
        ({"ForAnyValue:StringEquals": SOURCE_ACCOUNT}, ["ForAnyValue:StringEquals"]),
        # Both pass when the key is absent: they restrict nothing.
        ({"StringEqualsIfExists": SOURCE_ACCOUNT}, []),
        ({"ForAllValues:StringEquals": SOURCE_ACCOUNT}, []),
        ({"StringNotEquals": SOURCE_ACCOUNT}, []),
        # One that restricts nothing does not hide the one after it.
        ({"StringEqualsIfExists": SOURCE_ACCOUNT, "StringEquals": SOURCE_ACCOUNT},
         ["StringEquals"]),
        ({"ForAllValues:StringLike": SOURCE_ACCOUNT, "StringLike": SOURCE_ACCOUNT},
         ["StringLike"]),
    ],
)  # fmt: skip
def test_positive_conditions_are_those_that_require_the_key(
    condition: dict[str, Any], found: list[str]
) -> None:
    stmt = parsed(Action="s3:*", Resource="*", Condition=condition)
    assert iam.positive_conditions(stmt, "aws:SourceAccount") == [(op, (ACCOUNT,)) for op in found]


@pytest.mark.parametrize(
    ("operator", "found"),
    [
        ("StringNotEquals", True),
        ("StringNotLike", True),
        ("ArnNotEquals", True),
        ("ArnNotLike", True),
        ("StringNotEqualsIfExists", True),
        ("ArnNotLikeIfExists", True),
        ("ForAnyValue:StringNotLike", False),
        ("ForAllValues:StringNotEquals", False),
        ("StringEquals", False),
    ],
)
def test_negated_conditions_are_the_unqualified_negated_operators(
    operator: str, found: bool
) -> None:
    stmt = parsed(Action="s3:*", Resource="*", Condition={operator: {"aws:SourceArn": TRAIL_ARN}})
    expected = [(operator, (TRAIL_ARN,))] if found else []
    assert iam.negated_conditions(stmt, "aws:SourceArn") == expected


@pytest.mark.parametrize(
    ("operator", "value", "denies"),
    [
        ("Bool", "false", True),
        ("BoolIfExists", "false", True),
        ("boolifexists", "FALSE", True),
        ("BoolIfExists", "true", False),
        ("StringEquals", "false", False),
    ],
)
def test_a_deny_of_insecure_transport_is_a_bool_false_on_aws_securetransport(
    operator: str, value: str, denies: bool
) -> None:
    stmt = parsed(
        effect="Deny",
        Principal="*",
        Action="s3:*",
        Resource="*",
        Condition={operator: {"aws:SecureTransport": value}},
    )
    assert iam.denies_insecure_transport(stmt) is denies


# --- scoping a public principal -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "scoping"),
    [
        ("aws:SourceAccount", ACCOUNT, "aws:sourceaccount"),
        ("aws:SourceAccount", "1111*", None),
        ("aws:SourceOrgID", ORG, "aws:sourceorgid"),
        ("aws:SourceOrgID", "o-*", None),
        ("aws:PrincipalOrgID", ORG, "aws:principalorgid"),
        ("aws:SourceOwner", ACCOUNT, "aws:sourceowner"),
        # An ARN naming one account, whatever its resource part; or one resource, no wildcard.
        ("aws:SourceArn", f"arn:aws:sns:eu-west-1:{ACCOUNT}:*", "aws:sourcearn"),
        ("aws:SourceArn", "arn:aws:s3:::logs", "aws:sourcearn"),
        ("aws:SourceArn", "arn:aws:s3:::logs*", None),
        ("aws:SourceArn", "arn:aws:sns:eu-west-1:*:topic", None),
        ("aws:PrincipalArn", f"arn:aws:iam::{ACCOUNT}:role/*", "aws:principalarn"),
        ("aws:PrincipalArn", "arn:aws:iam::*:role/reader", None),
    ],
)
def test_a_scoping_condition_pins_a_fixed_account_or_organization(
    key: str, value: str, scoping: str | None
) -> None:
    stmt = parsed(Principal="*", Action="sns:Publish", Resource="*",
                  Condition={"StringLike": {key: value}})  # fmt: skip
    assert iam.scoping_condition(stmt) == scoping


PUBLIC_PROBLEM = (
    "statement 0 allows a public principal without a condition that pins it to an organization "
    "or account with a fixed value (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceAccount, "
    "aws:SourceOrgID, aws:SourceArn, aws:PrincipalArn or kms:CallerAccount; no wildcard, no "
    "policy variable)"
)


def test_public_grant_problems_say_why_each_allow_is_public() -> None:
    statements = parsed_all(
        statement(Principal="*", Action="sqs:SendMessage", Resource="*"),
        statement(NotPrincipal={"AWS": READER}, Action="sqs:SendMessage", Resource="*"),
        statement(Principal="*", Action="sqs:SendMessage", Resource="*",
                  Condition={"ForAllValues:StringEquals": {"aws:PrincipalAccount": ACCOUNT}}),
        statement(Principal="*", Action="sqs:SendMessage", Resource="*",
                  Condition={"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}),
    )  # fmt: skip
    assert iam.public_grant_problems(statements) == [
        PUBLIC_PROBLEM,
        "statement 1 allows with NotPrincipal (admits everyone else)",
        PUBLIC_PROBLEM.replace("statement 0", "statement 2"),
    ]


# --- CloudTrail's grants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "trail"),
    [
        (TRAIL_ARN, True),
        ("arn:aws:cloudtrail:*:*:trail/*", True),
        (f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:eventdatastore/store", False),
        (f"arn:aws:sns:eu-west-1:{ACCOUNT}:trail/x", False),
        ("trail/org-trail", False),
    ],
)
def test_a_trail_arn_is_cloudtrails_trail_resource(value: str, trail: bool) -> None:
    assert iam.is_trail_arn(value) is trail


def pinning_deny(*accounts: str, **overrides: Any) -> dict[str, Any]:
    return deny_unlisted_accounts(*accounts, **overrides)


@pytest.mark.parametrize(
    ("overrides", "pinned"),
    [
        ({}, [ACCOUNT, MEMBER]),
        ({"Principal": {"AWS": "*"}}, [ACCOUNT, MEMBER]),
        ({"Principal": "*"}, [ACCOUNT, MEMBER]),
        ({"Action": "S3:PUTOBJECT"}, [ACCOUNT, MEMBER]),
        ({"Principal": {"AWS": READER}}, None),
        ({"Action": "s3:GetBucketAcl"}, None),
        ({"Condition": {"StringNotEquals": {"aws:SourceAccount": ["1111*"]}}}, None),
        ({"Condition": {"StringNotEquals": {"aws:PrincipalAccount": [ACCOUNT]}}}, None),
        ({"Condition": {"StringNotEquals": {"aws:SourceAccount": [ACCOUNT],
                                            "aws:SourceArn": [TRAIL_ARN]}}}, None),
        ({"Condition": {"StringNotEqualsIfExists": {"aws:SourceAccount": [ACCOUNT]}}}, None),
    ],
    ids=["service", "aws-star", "star", "action-case", "other-principal", "other-action",
         "wildcard-account", "other-key", "two-keys", "if-exists"],
)  # fmt: skip
def test_accounts_pinned_by_an_explicit_deny(
    overrides: dict[str, Any], pinned: list[str] | None
) -> None:
    statements = parsed_all(pinning_deny(ACCOUNT, MEMBER, **overrides))
    assert iam.accounts_pinned_by_deny(statements, "s3:PutObject", grant=None) == pinned


def test_a_deny_on_another_principal_does_not_hide_the_pinning_one_after_it() -> None:
    statements = parsed_all(pinning_deny(MEMBER, Principal={"AWS": READER}), pinning_deny(ACCOUNT))
    assert iam.accounts_pinned_by_deny(statements, "s3:PutObject", grant=None) == [ACCOUNT]


LOGS = f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/*"


def any_trail_grant(action: str, resource_key: str, resource: str) -> iam.Statement:
    return parsed_all(statement(
        Principal={"Service": "cloudtrail.amazonaws.com"}, Action=action,
        **{resource_key: resource},
        Condition={"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/org-trail"}},
    ))[0]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "grant_resource", "deny_overrides", "pinned"),
    [
        ("s3:PutObject", LOGS, {}, [ACCOUNT]),
        ("s3:GetBucketAcl", f"arn:aws:s3:::{BUCKET_NAME}", {}, [ACCOUNT]),
        ("s3:PutObject", LOGS, {"Resource": f"arn:aws:s3:::{BUCKET_NAME}/archive/*"}, None),
        ("s3:PutObject", LOGS, {"Resource": f"arn:aws:s3:::{BUCKET_NAME}/*"}, [ACCOUNT]),
        ("s3:GetBucketAcl", f"arn:aws:s3:::{BUCKET_NAME}",
         {"Resource": f"arn:aws:s3:::{BUCKET_NAME}/*"}, None),
        ("s3:PutObject", LOGS, {"Resource": None, "NotResource": LOGS}, None),
        ("s3:PutObject", LOGS,
         {"Resource": f"arn:aws:s3:::{BUCKET_NAME}/${{aws:SourceAccount}}/*"}, None),
    ],
    ids=["both-covered", "bucket-covered", "other-objects", "every-object", "objects-not-bucket",
         "not-resource-exempts-the-logs", "policy-variable"],
)  # fmt: skip
def test_a_deny_pins_a_grant_only_where_it_covers_the_grants_resources(
    action: str, grant_resource: str, deny_overrides: dict[str, Any], pinned: list[str] | None
) -> None:
    """A Deny limited to other resources, or exempting the grant's by NotResource, leaves the
    grant open to any account's trail."""
    deny = {k: v for k, v in pinning_deny(ACCOUNT, **deny_overrides).items() if v is not None}
    statements = parsed_all(deny)
    grant = any_trail_grant(action, "Resource", grant_resource)
    assert iam.accounts_pinned_by_deny(statements, action, grant=grant) == pinned


def test_a_grant_by_not_resource_is_never_pinned() -> None:
    statements = parsed_all(pinning_deny(ACCOUNT))
    grant = any_trail_grant("s3:PutObject", "NotResource", f"arn:aws:s3:::{BUCKET_NAME}/x/*")
    assert iam.accounts_pinned_by_deny(statements, "s3:PutObject", grant=grant) is None


# --- whom an Allow admits -----------------------------------------------------------------------

PUT = {"Action": "s3:PutObject", "Resource": OBJECTS}
NO_ACCOUNT = (
    "service cloudtrail.amazonaws.com for any account (no aws:SourceAccount / aws:SourceArn "
    "account and no explicit account Deny)"
)


@pytest.mark.parametrize(
    ("fields", "callers"),
    [
        ({"NotPrincipal": {"AWS": READER}}, Callers(anyone=True, why="NotPrincipal")),
        ({"Principal": "*"},
         Callers(anyone=True, why="public principal without account condition")),
        ({"Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": MEMBER}}},
         Callers(accounts=frozenset({MEMBER}))),
        ({"Principal": "*", "Condition": {"StringEquals": {"aws:SourceAccount": [ACCOUNT]}}},
         Callers(accounts=frozenset({ACCOUNT}))),
        ({"Principal": "*",
          "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{MEMBER}:role/*"}}},
         Callers(accounts=frozenset({MEMBER}))),
        ({"Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}},
         Callers(orgs=frozenset({ORG}))),
        ({"Principal": {"AWS": [MEMBER, READER]}},
         Callers(accounts=frozenset({MEMBER, ACCOUNT}))),
        ({"Principal": {"AWS": "AROAEXAMPLEROLEID"}},
         Callers(anyone=True, why="principal 'AROAEXAMPLEROLEID' names no account")),
        ({"Principal": {"Federated": "cognito-identity.amazonaws.com"}},
         Callers(anyone=True, why="Federated principal")),
        ({"Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbaced"}},
         Callers(anyone=True, why="CanonicalUser principal")),
        ({"Principal": CLOUDTRAIL}, Callers(anyone=True, why=NO_ACCOUNT)),
        ({"Principal": CLOUDTRAIL, "Condition": {"StringEquals": {"aws:SourceAccount": MEMBER}}},
         Callers(accounts=frozenset({MEMBER}))),
        ({"Principal": CLOUDTRAIL, "Condition": {"StringEquals": {"aws:SourceArn": TRAIL_ARN}}},
         Callers(accounts=frozenset({ACCOUNT}))),
        ({"Principal": CLOUDTRAIL, "Condition": {"StringEquals": {"aws:SourceOrgID": ORG}}},
         Callers(orgs=frozenset({ORG}))),
    ],
    ids=["not-principal", "public", "public-account", "public-source-account",
         "public-principal-arn", "public-org", "accounts", "no-account", "federated",
         "canonical-user", "service", "service-account", "service-trail", "service-org"],
)  # fmt: skip
def test_admitted_callers(fields: dict[str, Any], callers: Callers) -> None:
    assert iam.admitted_callers(parsed(**PUT, **fields), []) == callers


def test_a_service_pinned_by_a_deny_adds_its_accounts_to_the_principals() -> None:
    grant, *rest = parsed_all(
        statement(Principal={"AWS": READER, **CLOUDTRAIL}, **PUT),
        pinning_deny(MEMBER, bucket="logs"),  # the Deny covers the grant's objects
    )
    assert iam.admitted_callers(grant, [grant, *rest]) == Callers(
        accounts=frozenset({ACCOUNT, MEMBER})
    )


# --- documents the pack cannot read -------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ("{nope", "policy is not valid JSON: Expecting property name enclosed in double quotes"),
        ("[]", "policy is not a JSON object"),
        ('{"Version": "2012-10-17"}', "policy has no Statement"),
        ('{"Statement": ["s3:*"]}', "statement 0 is not an object"),
        ('{"Statement": {"Effect": "Deny", "Condition": {"Bool": true}}}',
         "statement 0: condition Bool is malformed"),
    ],
)  # fmt: skip
def test_an_unreadable_document_is_reported_at_its_owner(policy: str, message: str) -> None:
    owner = Res("aws:sqs/queuePolicy:QueuePolicy", "q", "urn:q", {"policy": policy})
    found: list[str] = []
    assert iam.read_policy(owner, found.append) is None
    assert found == [f"QueuePolicy 'q': {message}."]


@pytest.mark.parametrize(
    "overrides",
    [{"Principal": None, "NotPrincipal": {"AWS": READER}},
     {"Action": None, "NotAction": "s3:PutObject"}],  # every action but PutObject
    ids=["not-principal", "not-action"],
)
def test_a_deny_by_not_principal_or_not_action_pins_nothing(overrides: dict[str, Any]) -> None:
    deny = {k: v for k, v in pinning_deny(ACCOUNT, **overrides).items() if v is not None}
    assert iam.accounts_pinned_by_deny(parsed_all(deny), "s3:PutObject", grant=None) is None


def test_a_deny_on_other_objects_does_not_hide_a_covering_one_after_it() -> None:
    statements = parsed_all(
        pinning_deny(MEMBER, Resource=f"arn:aws:s3:::{BUCKET_NAME}/archive/*"),
        pinning_deny(ACCOUNT),
    )
    grant = any_trail_grant("s3:PutObject", "Resource", LOGS)
    assert iam.accounts_pinned_by_deny(statements, "s3:PutObject", grant=grant) == [ACCOUNT]


def test_a_principal_account_and_a_services_source_account_are_both_admitted() -> None:
    grant = parsed(Principal={"AWS": READER, **CLOUDTRAIL}, **PUT,
                   Condition={"StringEquals": {"aws:SourceAccount": MEMBER}})  # fmt: skip
    assert iam.admitted_callers(grant, [grant]) == Callers(accounts=frozenset({ACCOUNT, MEMBER}))


def test_a_deny_of_another_action_does_not_hide_the_pinning_one_after_it() -> None:
    statements = parsed_all(pinning_deny(MEMBER, Action="s3:GetObject"), pinning_deny(ACCOUNT))
    assert iam.accounts_pinned_by_deny(statements, "s3:PutObject", grant=None) == [ACCOUNT]


def test_a_services_source_owner_names_its_account() -> None:
    grant = parsed(Principal=CLOUDTRAIL, **PUT,
                   Condition={"StringEquals": {"aws:SourceOwner": MEMBER}})  # fmt: skip
    assert iam.admitted_callers(grant, [grant]) == Callers(accounts=frozenset({MEMBER}))
