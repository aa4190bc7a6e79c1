"""A client of ``convexproof serve``: one process, one JSON request per line, one answer per line.

The CLI is found from the ``cli`` argument, else the environment variable ``CONVEXPROOF_CLI``,
else the repository's launcher ``convexproof`` (two folders above this file), which builds the
CLI on first use.
"""
import json
import os
import subprocess
import threading
from fractions import Fraction

_REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class ConvexProofError(Exception):
    """An error answer of the server: its message, exit code (2 input, 4 internal) and JSON path."""

    def __init__(self, error, exit_code):
        super().__init__(error.get("message", "error"))
        self.exit_code = exit_code
        self.json_path = error.get("json_path")
        self.file = error.get("file")


def default_cli():
    return os.environ.get("CONVEXPROOF_CLI") or os.path.join(_REPOSITORY, "convexproof")


def box_text(box, dim=None):
    """``--box`` syntax from a string "LO:HI", a pair (lo, hi) for every coordinate, or one pair per
    coordinate; numbers may be int, Fraction or float (written exactly, as hex floats)."""
    if box is None or isinstance(box, str):
        return box

    def number(v):
        if isinstance(v, bool):
            raise ValueError("a box bound must be a number")
        if isinstance(v, int):
            return str(v)
        if isinstance(v, Fraction):
            return f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator)
        return float(v).hex()

    if len(box) == 2 and not isinstance(box[0], (list, tuple)):
        return f"{number(box[0])}:{number(box[1])}"
    return ",".join(f"{number(lo)}:{number(hi)}" for lo, hi in box)


class Server:
    """A running ``convexproof serve``; use as a context manager or call ``close()``."""

    def __init__(self, cli=None, threads=1):
        self._process = subprocess.Popen(
            [cli or default_cli(), "serve", "--threads", str(threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
        self._lock = threading.Lock()
        self._next_id = 0

    def request(self, request):
        """Sends one request (a dict) and returns the answer's "result"; raises ConvexProofError on an error answer."""
        with self._lock:
            self._next_id += 1
            request = dict(request, id=self._next_id)
            self._process.stdin.write(json.dumps(request, separators=(",", ":")) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            raise ConvexProofError({"message": f"the server ended (exit {self._process.wait()})"}, 4)
        answer = json.loads(line)
        if answer.get("id") != request["id"]:
            raise ConvexProofError({"message": f"answer {answer.get('id')} to request {request['id']}"}, 4)
        if not answer["ok"]:
            raise ConvexProofError(answer["error"], answer["exit_code"])
        return answer["result"]

    def close(self):
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_shared = None


def shared_server():
    """One server per Python process, started on first use."""
    global _shared
    if _shared is None or _shared._process.poll() is not None:
        _shared = Server()
    return _shared
