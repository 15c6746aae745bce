"""The real Pulumi engine in the loop (scripts/e2e.sh): the driver, and the stand-ins it needs.

Real: the CLI and engine (built by scripts/build-pulumi.sh), the program, the policy pack.
Stand-ins, each named so in its module: the `aws` provider (aws_provider.py, aws_model.py) and
the Python language host's plugin launch (language_host.py); the program runs through the
Automation API's inline mode (engine.py). The comparison with the offline preview:
differential.py.
"""
