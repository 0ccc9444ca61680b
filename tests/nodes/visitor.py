"""One person's side of the conversation with several nodes: a cookie jar that goes with them.

A browser keeps cookies per host, not per port, so a visitor behind a load balancer carries the
same cookies to whichever node answers. ``Visitor`` does the same on purpose and visibly: the
cookies are a plain dict sent to every node it talks to. Redirects are not followed, so a test
sees the 302 (and where it leads) a node answered with.
"""

import http.client
import re
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.utils.encoding import iri_to_uri

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf_token(self) -> str:
        """The CSRF token of the first form in the page."""
        match = CSRF_FIELD.search(self.text)
        assert match, f"no CSRF token in the page (status {self.status})"
        return match.group(1)


class Visitor:
    def __init__(self):
        self.cookies: dict[str, str] = {}

    def get(self, node, path: str) -> Answer:
        return self._send(node, "GET", path)

    def post(self, node, path: str, fields: dict, files=()) -> Answer:
        """POST *fields* (and *files*: ``(field, filename, content_type, data)`` tuples) as a
        browser sends a form: urlencoded, or multipart when there are files."""
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self._send(node, "POST", path, body, {"Content-Type": content_type})

    def _send(self, node, method, path, body=None, headers=None) -> Answer:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(node.host, node.port, timeout=30)
        try:
            connection.request(method, iri_to_uri(path), body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.msg, response.read())
        finally:
            connection.close()
        self._keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        return answer

    def _keep_cookies(self, set_cookie_headers) -> None:
        for header in set_cookie_headers:
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                # Django deletes a cookie by sending it empty with max-age 0.
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def _multipart(fields: dict, files) -> tuple[bytes, str]:
    boundary = f"----nodes{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for field, filename, content_type, data in files:
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
