"""A small loopback HTTP server for the libcurl adapter's tests."""
import json
import time

from flask import Flask, Response, redirect, request


def create_app():
    app = Flask("testserver")

    @app.get("/set-cookie")
    def set_cookie():
        resp = Response("ok")
        resp.set_cookie("session", "s3cr3t-cookie", path="/")
        return resp

    @app.route("/echo", methods=["GET", "POST"])
    def echo():
        return {"method": request.method, "cookies": request.cookies, "user_agent": request.headers.get("User-Agent"),
                "content_type": request.headers.get("Content-Type"), "body": request.get_data(as_text=True),
                "args": request.args, "authorization": request.headers.get("Authorization"),
                "host": request.host}

    @app.route("/redirect/<int:n>", methods=["GET", "POST"])
    def hop(n):
        return redirect(f"/redirect/{n - 1}" if n > 1 else "/echo", code=302)

    @app.post("/see-other")
    def see_other():
        return redirect("/echo?from=post", code=303)

    @app.post("/temporary")
    def temporary():
        return redirect("/echo", code=307)

    @app.route("/to", methods=["GET", "POST"])
    def to():
        """A redirect to any target: /to?code=307&location=..."""
        return Response("", status=int(request.args.get("code", "302")), headers={"Location": request.args["location"]})

    @app.get("/to-external")
    def external():
        return redirect("http://leapp-test.invalid/steal", code=302)

    @app.get("/slow")
    def slow():
        time.sleep(float(request.args.get("s", "3")))
        return "late"

    @app.get("/big")
    def big():
        mb = int(request.args.get("mb", "10"))
        chunk = b"x" * (1024 * 1024)
        return Response((chunk for _ in range(mb)), content_type="text/plain")

    @app.get("/status/<int:code>")
    def status(code):
        return Response(json.dumps({"code": code}), status=code, content_type="application/json")

    return app
