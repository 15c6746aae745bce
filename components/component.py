"""The base of this project's components: their type, and the options of their resources."""

from __future__ import annotations

from typing import Any

import pulumi

from components import TYPE_PREFIX


class Component(pulumi.ComponentResource):
    """A ComponentResource of type `cloudtrail-logging:index:<class name>`.

    The type is part of the URN of the component and of every resource below it: renaming a
    class moves them all (tests/test_urns_kept.py).
    """

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None) -> None:
        super().__init__(f"{TYPE_PREFIX}:{type(self).__name__}", name, None, opts)

    def child(self, **options: Any) -> pulumi.ResourceOptions:
        """The options of a resource of this component: `options` (`depends_on`, `import_`,
        ...), with this component as its parent."""
        return pulumi.ResourceOptions(parent=self, **options)

    def stateful(self, **options: Any) -> pulumi.ResourceOptions:
        """The options of a bucket or key of this component: losing one loses the evidence it
        holds, so it is always protected and retained, whatever the caller asks."""
        return self.child(protect=True, retain_on_delete=True, **options)
