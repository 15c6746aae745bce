"""Pure building blocks of cloudtrail-logging: settings, names, ARNs and policy documents.

Nothing here registers resources or talks to Pulumi's engine, so all of it is known at preview
time and testable as plain data.
"""
