#!/usr/bin/python3
"""A small Negotiate-protected front for the AD FS simulator, as AD FS's Windows Integrated
Authentication behaves: a request whose User-Agent is on the WIA list gets a 401
`WWW-Authenticate: Negotiate` until it brings a SPNEGO token, which is checked with the
service's keytab (Debian's python3-gssapi on MIT Kerberos); the request then goes on to the
simulator with X-Remote-User naming the ticket's principal. Any other agent passes through
without authentication (AD FS serves it the forms page).

  /usr/bin/python3 negotiate_front.py BACKEND_URL      (prints its port; KRB5_KTNAME names the keytab)

Runs under Debian's own python3 (python3-gssapi is a Debian package), with the standard
library only besides gssapi."""
import base64
import http.client
import http.server
import sys
import urllib.parse

import gssapi

WIA_AGENTS = ("Trident/7.0", "MSIE ", "MSAuthHost/1.0/In-Domain", "Edg/")
BACKEND = urllib.parse.urlsplit(sys.argv[1])


class Front(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.forward()

    def do_POST(self):
        self.forward()

    def refuse(self, token=None):
        body = b"<html><body><h1>401 Unauthorized</h1></body></html>"
        self.send_response(401)
        self.send_header("WWW-Authenticate", "Negotiate" + (" " + token if token else ""))
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "authorization", "x-remote-user")}
        answer_token = None
        if any(agent in self.headers.get("User-Agent", "") for agent in WIA_AGENTS):
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Negotiate "):
                return self.refuse()
            try:
                ctx = gssapi.SecurityContext(creds=gssapi.Credentials(usage="accept"), usage="accept")
                out = ctx.step(base64.b64decode(auth[len("Negotiate "):]))
            except gssapi.exceptions.GSSError:
                return self.refuse()
            if not ctx.complete:
                return self.refuse(base64.b64encode(out).decode() if out else None)
            headers["X-Remote-User"] = str(ctx.initiator_name)
            answer_token = base64.b64encode(out).decode() if out else None
        conn = http.client.HTTPConnection(BACKEND.hostname, BACKEND.port, timeout=30)
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                self.send_header(k, v)
        if answer_token:
            self.send_header("WWW-Authenticate", "Negotiate " + answer_token)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Front)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
