"""Runs the sandbox partner as a child process on loopback, for tests and the local demo."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from .control import PartnerControl
from .settings import DEFAULT_TOKEN

_PACKAGE_PARENT = Path(__file__).resolve().parent.parent
_LISTENING = re.compile(r"listening on http://[^:]+:(\d+)")
_LOG_NAME = "partner.log"


class SandboxPartnerProcess:
    """Start, stop, kill and restart one partner; restarts keep its port and data directory."""

    def __init__(self, data_dir: Path, *, port: int = 0, settle_delay_ms: int = 50,
                 token: str = DEFAULT_TOKEN, extra_args: tuple[str, ...] = ()):
        self.data_dir = Path(data_dir)
        self.port = port
        self.token = token
        self._settle_delay_ms = settle_delay_ms
        self._extra_args = tuple(extra_args)
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def control(self) -> PartnerControl:
        return PartnerControl(self.url)

    def start(self, timeout_s: float = 10.0) -> "SandboxPartnerProcess":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.data_dir / _LOG_NAME
        log_offset = log_path.stat().st_size if log_path.exists() else 0
        with open(log_path, "ab") as log:
            self._process = subprocess.Popen(self._command(), env=self._environment(),
                                             stdout=log, stderr=subprocess.STDOUT)
        self.port = self._wait_until_listening(log_path, log_offset, timeout_s)
        return self

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def stop(self) -> None:
        """Graceful stop (SIGTERM), escalating to SIGKILL if it hangs."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def kill(self) -> None:
        """Crash it: SIGKILL, no chance to finish anything."""
        if self._process is not None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait()
            self._process = None

    def restart(self) -> "SandboxPartnerProcess":
        self.stop()
        return self.start()

    def __enter__(self) -> "SandboxPartnerProcess":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "sandbox_partner", "--port", str(self.port),
                "--data-dir", str(self.data_dir), "--settle-delay-ms", str(self._settle_delay_ms),
                "--token", self.token, *self._extra_args]

    @staticmethod
    def _environment() -> dict:
        path = os.pathsep.join(filter(None, [str(_PACKAGE_PARENT), os.environ.get("PYTHONPATH")]))
        return {**os.environ, "PYTHONPATH": path}

    def _wait_until_listening(self, log_path: Path, log_offset: int, timeout_s: float) -> int:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            log = log_path.read_bytes()[log_offset:].decode(errors="replace")
            if self._process.poll() is not None:
                raise RuntimeError(f"sandbox partner exited with {self._process.returncode}:\n{log}")
            match = _LISTENING.search(log)
            if match:
                return int(match.group(1))
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"sandbox partner did not start within {timeout_s} s")
