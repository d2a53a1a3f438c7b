"""Making input text safe to show: terminals, Markdown/HTML, and values of keys that look secret.

Input comes from manifests written by people the repository owner may not control (pull requests), so
nothing from it reaches a terminal, a Markdown comment or SARIF without passing through here.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]?|\x1b[@-_]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_SECRET_KEY = re.compile(r"(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|bearer|cookie-secret)",
                         re.IGNORECASE)
# Annotation keys whose names contain a secret-looking word but that carry references, not secrets.
_NOT_SECRET = re.compile(r"(secret-type|auth-secret$|ssl-secret$|tls-secret$|secret-name$|secretname$)", re.IGNORECASE)
REDACTED = "<redacted>"


def clean(text: str) -> str:
    """Text from input, safe for a terminal: control characters and escape sequences become ``?``."""
    return _CONTROL.sub("?", text)


def escape_md(text: str) -> str:
    """Text from input, safe inside Markdown and the HTML GitHub renders: no markup, links or mentions."""
    t = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    t = t.replace("\r", " ").replace("\n", " ")
    t = _MD_SPECIAL.sub(r"\\\1", t)
    t = t.replace("@", "@\u200b")  # no @mentions
    t = re.sub(r"(?i)(https?):", r"\1&#58;", t)  # no autolinks
    return t


def code_md(text: str) -> str:
    """Text from input as inline code: backticks cannot break out, control characters are removed."""
    t = clean(text).replace("\n", " ").replace("`", "ˋ")
    return f"`{t}`" if t else "``"


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key)) and not _NOT_SECRET.search(key)


def redact(key: str, value: str) -> str:
    """The value to show for an annotation: redacted when the key looks like it holds a secret."""
    return REDACTED if is_secret_key(key) else value
