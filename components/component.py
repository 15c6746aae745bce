"""The base of this project's components: their type, and the options of their resources."""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi

from components import TYPE_PREFIX


class Component(pulumi.ComponentResource):
    """A ComponentResource of type `cloudtrail-logging:index:<type_name>`, each component class
    naming its own: `class LogBucket(Component, type_name="LogBucket")`.

    The type is part of the URN of the component and of every resource below it, so it is
    written out rather than taken from the class's name, which a rename would change
    (tests/test_urns_kept.py).
    """

    type_name: ClassVar[str]

    def __init_subclass__(cls, type_name: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if type_name is not None:
            cls.type_name = type_name

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None) -> None:
        super().__init__(f"{TYPE_PREFIX}:{self.type_name}", name, None, opts)

    def child(self, **options: Any) -> pulumi.ResourceOptions:
        """The options of a resource of this component: `options` (`depends_on`, `import_`,
        ...), with this component as its parent."""
        return pulumi.ResourceOptions(parent=self, **options)

    def stateful(self, **options: Any) -> pulumi.ResourceOptions:
        """The options of a bucket or key of this component: losing one loses the evidence it
        holds, so it is always protected and retained, whatever the caller asks."""
        return self.child(protect=True, retain_on_delete=True, **options)
