#!/usr/bin/env python3
"""A stand-in for a Chromium-family browser on the DevTools pipe (commands on fd 3, replies and
events on fd 4, each JSON ended by NUL), for what a real browser will not do on demand: post to
a chosen sign-in URL, send a huge message, ignore SIGTERM with a helper in its process group.

FAKE_BROWSER_MODE:
  catch      after Page.navigate, a paused POST to FAKE_BROWSER_URL with a SAMLResponse for
             FAKE_BROWSER_ROLE (the AWS sign-in page of any partition)
  huge       a paused POST whose body is FAKE_BROWSER_MB MiB
  stubborn   ignores SIGTERM and Browser.close; a helper in its group does too; never posts
FAKE_BROWSER_LOG: a file that gets the browser's argv as JSON, then its helper's pid."""
import base64
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Simulators"))
import saml  # noqa: E402

mode = os.environ.get("FAKE_BROWSER_MODE", "catch")
log = os.environ.get("FAKE_BROWSER_LOG")
if log:
    with open(log, "w") as f:
        f.write(json.dumps(sys.argv[1:]) + "\n")
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    helper = subprocess.Popen(["sh", "-c", "trap '' TERM; while :; do sleep 1; done"])
    if log:
        with open(log, "a") as f:
            f.write(f"{helper.pid}\n")

inbox, outbox = os.fdopen(3, "rb", buffering=0), os.fdopen(4, "wb", buffering=0)


def send(message):
    outbox.write(json.dumps(message).encode() + b"\0")


def paused(url, body):
    send({"method": "Fetch.requestPaused", "sessionId": "S",
          "params": {"requestId": "R1", "request": {"url": url, "method": "POST", "postData": body}}})


buffer = b""
while True:
    chunk = inbox.read(65536)
    if not chunk:
        break
    buffer += chunk
    while b"\0" in buffer:
        raw, buffer = buffer.split(b"\0", 1)
        message = json.loads(raw)
        method, result = message.get("method"), {}
        if method == "Target.getTargets":
            result = {"targetInfos": [{"type": "page", "targetId": "T"}]}
        elif method == "Target.attachToTarget":
            result = {"sessionId": "S"}
        elif method == "Storage.getCookies":
            result = {"cookies": []}
        elif method == "Browser.close" and mode == "stubborn":
            continue
        send({"id": message["id"], "result": result, **({"sessionId": message["sessionId"]} if "sessionId" in message else {})})
        if method == "Browser.close":
            sys.exit(0)
        if method == "Page.navigate" and mode == "catch":
            role = os.environ["FAKE_BROWSER_ROLE"].split(",")
            xml = saml.response_xml("https://idp.example/fake", "alice", [role])
            paused(os.environ["FAKE_BROWSER_URL"], "SAMLResponse=" + saml.encode(xml).replace("+", "%2B").replace("=", "%3D"))
        elif method == "Page.navigate" and mode == "huge":
            paused("https://signin.aws.amazon.com/saml", "SAMLResponse=" + "A" * (int(os.environ["FAKE_BROWSER_MB"]) << 20))
while mode == "stubborn":
    time.sleep(1)
