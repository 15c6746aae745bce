"""Offline tools: run a stack as a first `pulumi preview` would, enforce the pack, draw it."""
