"""The action's comment script against a fake GitHub comments API on loopback: create, then update one comment."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ing2gw.integrations import github


class FakeGitHub(BaseHTTPRequestHandler):
    comments: list[dict[str, object]] = []
    log: list[tuple[str, str]] = []

    def _send(self, code: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, object]:
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n)) if n else {}

    def do_GET(self) -> None:  # noqa: N802
        self.log.append(("GET", self.path))
        assert self.headers["Authorization"] == "Bearer t0ken"
        if self.path.startswith("/repos/o/r/issues/7/comments"):
            self._send(200, self.comments)
        else:
            self._send(404, {})

    def do_POST(self) -> None:  # noqa: N802
        self.log.append(("POST", self.path))
        c = {"id": 100 + len(self.comments), "body": self._body()["body"]}
        self.comments.append(c)
        self._send(201, c)

    def do_PATCH(self) -> None:  # noqa: N802
        self.log.append(("PATCH", self.path))
        cid = int(self.path.rsplit("/", 1)[-1])
        for c in self.comments:
            if c["id"] == cid:
                c["body"] = self._body()["body"]
        self._send(200, {})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    FakeGitHub.comments = [{"id": 1, "body": "an unrelated comment"}]
    FakeGitHub.log = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_creates_then_updates_one_comment(api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "number": 7, "pull_request": {"number": 7}}))
    body = tmp_path / "diff.md"
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_API_URL", api)
    body.write_text("<!-- ing2gw-diff -->\nfirst\n")
    assert github.main(["comment", "--body-file", str(body)]) == 0
    body.write_text("<!-- ing2gw-diff -->\nsecond\n")
    assert github.main(["comment", "--body-file", str(body)]) == 0
    ours = [c for c in FakeGitHub.comments if str(c["body"]).startswith("<!-- ing2gw-diff -->")]
    assert len(ours) == 1 and "second" in str(ours[0]["body"])
    assert [m for m, _ in FakeGitHub.log] == ["GET", "POST", "GET", "PATCH"]


def test_not_a_pull_request_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"ref": "refs/heads/main"}))
    monkeypatch.setenv("GITHUB_TOKEN", "x")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    body = tmp_path / "b.md"
    body.write_text("x")
    assert github.main(["comment", "--body-file", str(body)]) == 2
