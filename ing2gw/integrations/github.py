"""Posts the ``ing2gw diff`` Markdown as one pull-request comment, updated in place on every push.

Used by the composite action in ``action.yml``. The comment is found again by the hidden marker that
``ing2gw diff`` writes as its first line, so re-runs edit it instead of adding comments.

    python -m ing2gw.integrations.github comment --body-file diff.md

Environment: ``GITHUB_TOKEN``, ``GITHUB_REPOSITORY`` (owner/name), ``GITHUB_EVENT_PATH`` (the event JSON,
for the pull-request number), ``GITHUB_API_URL`` (default https://api.github.com).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

from ing2gw.report.diff import MARKER


class GitHubError(Exception):
    pass


def _request(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json", "User-Agent": "ing2gw"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - URL from the runner's environment
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        raise GitHubError(f"{method} {url}: HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise GitHubError(f"{method} {url}: {exc.reason}") from None
    return json.loads(raw) if raw else None


def pull_request_number(event_path: str) -> int:
    with open(event_path, encoding="utf-8") as fh:
        event = json.load(fh)
    number = (event.get("pull_request") or {}).get("number") or event.get("number")
    if not isinstance(number, int):
        raise GitHubError("the event is not a pull_request event (no pull request number)")
    return number


def upsert_comment(api: str, repo: str, number: int, token: str, body: str) -> tuple[str, int]:
    """Create the comment, or update the one that carries the marker. Returns (action, comment id)."""
    base = f"{api.rstrip('/')}/repos/{repo}/issues/{number}/comments"
    page = 1
    while True:
        comments = _request("GET", f"{base}?per_page=100&page={page}", token) or []
        for c in comments:
            if isinstance(c, dict) and str(c.get("body", "")).startswith(MARKER):
                url = f"{api.rstrip('/')}/repos/{repo}/issues/comments/{c['id']}"
                _request("PATCH", url, token, {"body": body})
                return "updated", int(c["id"])
        if len(comments) < 100:
            break
        page += 1
    created = _request("POST", base, token, {"body": body})
    return "created", int(created["id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ing2gw.integrations.github")
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("comment", help="create or update the ing2gw pull-request comment")
    c.add_argument("--body-file", required=True)
    args = parser.parse_args(argv)
    env = os.environ
    try:
        token = env["GITHUB_TOKEN"]
        repo = env["GITHUB_REPOSITORY"]
        number = pull_request_number(env["GITHUB_EVENT_PATH"])
    except KeyError as exc:
        print(f"ing2gw: missing environment variable {exc.args[0]}", file=sys.stderr)
        return 2
    except (OSError, GitHubError, json.JSONDecodeError) as exc:
        print(f"ing2gw: {exc}", file=sys.stderr)
        return 2
    with open(args.body_file, encoding="utf-8") as fh:
        body = fh.read()
    if not body.startswith(MARKER):
        body = MARKER + "\n" + body
    try:
        action, cid = upsert_comment(env.get("GITHUB_API_URL", "https://api.github.com"), repo, number, token, body)
    except GitHubError as exc:
        print(f"ing2gw: could not post the comment: {exc}", file=sys.stderr)
        return 1
    print(f"ing2gw: {action} comment {cid} on {repo}#{number}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
