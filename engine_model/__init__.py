"""A model of the Pulumi engine, for the fast tests and the offline preview.

What the engine and the Python language host do around a program, modelled on pulumi/pulumi's
source (each rule cites the Go file it follows): the stack's config as the CLI assembles it
(`stack_files`), the program run under the SDK's mocks as a first preview sees it (`program`,
`mocks`, `model`), and the policy pack driven over the analyzer gRPC protocol (`analyzer`). Where
it and the engine differ, the engine is right; `tests/e2e/` compares them.
"""
