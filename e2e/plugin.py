"""How a plugin process meets the engine, shared by the two stand-in plugins.

The engine starts a plugin with the engine's address as its last argument (after flags such as
`--logtostderr`, `-v=N`, `--tracing ENDPOINT`), then reads one line from its stdout: the port of
the plugin's gRPC server on 127.0.0.1 (pulumi/pulumi v3.276.0 pkg/resource/plugin/plugin.go,
`newPlugin`: "we expect it to write a single line to STDOUT: the port it's listening on").
Anything the plugin writes to stderr is shown by the engine as the plugin's diagnostics. When
done, the engine interrupts the process (SIGINT to its process group, `cmdutil.InterruptChildren`)
and kills it 5 s later.

Every RPC a stand-in answers can be appended to a journal (JSON lines), named by the environment
variable CLOUDTRAIL_E2E_JOURNAL, so the tests can see what the engine asked the plugins.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent import futures
from typing import Any

import grpc

JOURNAL_ENV = "CLOUDTRAIL_E2E_JOURNAL"
_MAX_MESSAGE = 400 * 1024 * 1024  # the engine's own limit for plugin messages (rpcutil)
_journal_lock = threading.Lock()


def journal(plugin: str, call: str, **fields: Any) -> None:
    """Append one RPC to the journal file, when CLOUDTRAIL_E2E_JOURNAL names one."""
    path = os.environ.get(JOURNAL_ENV)
    if not path:
        return
    line = json.dumps({"plugin": plugin, "call": call, "pid": os.getpid(), **fields},
                      sort_keys=True)
    with _journal_lock, open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def engine_address(argv: list[str]) -> str:
    """The engine's address: the last argument that is not a flag (or a flag's value)."""
    positional: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--tracing":
            skip = True
        elif not arg.startswith("-"):
            positional.append(arg)
    return positional[-1] if positional else ""


def serve(
    register: Callable[[grpc.Server], None],
    *,
    workers: int = 8,
    on_stop: Callable[[], None] | None = None,
) -> None:
    """Serve on 127.0.0.1:0, print the port, and run until interrupted or terminated."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers),
        options=[
            ("grpc.max_receive_message_length", _MAX_MESSAGE),
            ("grpc.max_send_message_length", _MAX_MESSAGE),
        ],
    )
    register(server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    stopped = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        stopped.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(port, flush=True)
    stopped.wait()
    if on_stop is not None:
        on_stop()
    server.stop(grace=1).wait()
    sys.exit(0)


def run(
    plugin: str, servicer: Callable[[], Any], add_to_server: Callable[[Any, grpc.Server], None]
) -> None:
    """A plugin's main: journal its start (and its engine's address), then serve the servicer
    `servicer` makes, which `add_to_server` registers."""
    journal(plugin, "start", engine=engine_address(sys.argv[1:]))
    made = servicer()
    serve(lambda server: add_to_server(made, server))


def fail(context: grpc.ServicerContext, code: grpc.StatusCode, message: str) -> None:
    """Abort the RPC with `message`, which the engine shows as the plugin's error."""
    context.abort(code, message)

