"""The pack's rules: one module per policy, named after the policy's full name (its stable id).

Each module exposes `POLICY` and its `check`; it imports the shared support modules
(`guardrails.support`, `declare`, `families`, `arn`, `iam`, `stack`, `buckets`,
`cloudtrail_grants`), never another rule.
"""
