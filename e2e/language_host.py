"""STAND-IN for the Python language host (pulumi-language-python), for one job: starting a policy
pack.

The real language host lives in its own Go module,
github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3, which the Go module proxy
refuses (403 "This module version is not available" for v3.275.0, v3.276.0, v3.277.0 and for
pseudo-versions), so it cannot be built here. The program does not need it: e2e runs it through
the Automation API's inline mode, where the SDK serves the language protocol in-process and the
CLI gets `--client=ADDR`. A Python policy pack does: at v3.276.0 the engine starts a pack
directory only through the language runtime its PulumiPolicy.yaml names (pulumi/pulumi
pkg/resource/plugin/analyzer_plugin.go `NewPolicyAnalyzer` -> plugin.go `newPlugin`: a directory
with a PulumiPolicy.yaml is run by `ctx.Host.LanguageRuntime(runtime).RunPlugin`); there is no
fallback to a `pulumi-analyzer-policy-python` executable any more. The engine finds this process
as the `python` language plugin on the PATH (sdk/go/common/workspace/plugins.go,
`getPluginInfoAndPath`: an executable `pulumi-language-python` on $PATH).

RunPlugin for kind "analyzer" does what the real host does for a policy pack (read in
sdk/python/cmd/pulumi-language-python/main.go, `RunPlugin`): run
`<virtualenv>/bin/python -u -m pulumi.policy <args...> <program directory>` in the pack's
directory, the virtualenv being PulumiPolicy.yaml's `runtime.options.virtualenv` relative to the
pack's root, and stream its stdout and stderr back. Not done: the real host also proxies the
pack's first calls to put the stack's config into PULUMI_CONFIG (the pack does not read stack
config), and runs `pip` to make the virtualenv when missing (scripts/setup.sh makes it).
Any other RPC, running a program included, is refused.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from queue import Queue
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

from e2e.plugin import fail, journal, run

PLUGIN = "python"
# Set by bin/pulumi-language-python to what PYTHONPATH was before it added the repository, so the
# pack gets the environment the engine gave this process, as from the real host.
OUTER_PYTHONPATH = "CLOUDTRAIL_E2E_OUTER_PYTHONPATH"


def pack_python(root: Path, options: dict[str, Any]) -> str:
    """The interpreter of the pack's virtualenv (options `virtualenv`), else python3 on PATH."""
    virtualenv = options.get("virtualenv")
    if isinstance(virtualenv, str) and virtualenv:
        venv = Path(virtualenv) if Path(virtualenv).is_absolute() else root / virtualenv
        python = venv / "bin" / "python"
        if not python.exists():
            raise FileNotFoundError(
                f"the pack's virtualenv {venv} has no bin/python (run bash scripts/setup.sh)"
            )
        return str(python)
    return "python3"


def plugin_environment(extra: list[str]) -> dict[str, str]:
    env = dict(os.environ)
    outer = env.pop(OUTER_PYTHONPATH, None)
    env.pop("PYTHONPATH", None)
    if outer:
        env["PYTHONPATH"] = outer
    for item in extra:
        name, sep, value = item.partition("=")
        if sep:
            env[name] = value
    return env


class LanguageStandIn(language_pb2_grpc.LanguageRuntimeServicer):
    def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo()

    def Handshake(self, request: language_pb2.LanguageHandshakeRequest, context: Any
                  ) -> language_pb2.LanguageHandshakeResponse:
        journal(PLUGIN, "Handshake")
        return language_pb2.LanguageHandshakeResponse()

    def RunPlugin(self, request: language_pb2.RunPluginRequest, context: grpc.ServicerContext
                  ) -> Iterator[language_pb2.RunPluginResponse]:
        info = request.info
        journal(PLUGIN, "RunPlugin", kind=request.kind, name=request.name,
                directory=info.program_directory)
        if request.kind != "analyzer":
            fail(context, grpc.StatusCode.UNIMPLEMENTED,
                 "the stand-in python language host only starts policy packs")
        root = Path(info.root_directory or info.program_directory)
        options = json_format.MessageToDict(info.options) if info.HasField("options") else {}
        try:
            python = pack_python(root, options)
        except FileNotFoundError as error:
            fail(context, grpc.StatusCode.FAILED_PRECONDITION, str(error))
            raise
        command = [python, "-u", "-m", "pulumi.policy", *request.args, info.program_directory]
        process = subprocess.Popen(
            command,
            cwd=info.program_directory,
            env=plugin_environment(list(request.env)),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        chunks: Queue[language_pb2.RunPluginResponse | None] = Queue()

        def pump(stream: Any, field: str) -> None:
            for chunk in iter(lambda: stream.read1(65536), b""):
                chunks.put(language_pb2.RunPluginResponse(**{field: chunk}))
            chunks.put(None)

        pumps = [threading.Thread(target=pump, args=(process.stdout, "stdout"), daemon=True),
                 threading.Thread(target=pump, args=(process.stderr, "stderr"), daemon=True)]
        for thread in pumps:
            thread.start()
        context.add_callback(process.kill)  # the engine cancelled the stream: stop the pack
        open_streams = len(pumps)
        while open_streams:
            chunk = chunks.get()
            if chunk is None:
                open_streams -= 1
            else:
                yield chunk
        yield language_pb2.RunPluginResponse(exitcode=process.wait())

    def GetRequiredPlugins(self, request: Any, context: grpc.ServicerContext) -> Any:
        fail(context, grpc.StatusCode.UNIMPLEMENTED, "the stand-in only starts policy packs")

    def Run(self, request: Any, context: grpc.ServicerContext) -> Any:
        fail(context, grpc.StatusCode.UNIMPLEMENTED,
             "the stand-in python language host does not run programs (e2e runs the program "
             "through the Automation API's inline mode)")


def main() -> None:
    run(PLUGIN, LanguageStandIn, language_pb2_grpc.add_LanguageRuntimeServicer_to_server)


if __name__ == "__main__":
    main()
