"""A hostile IdP for hardening tests: serves whatever a test configures at /idp, including
a reset connection, a server slower than the client's timeout and a 50 MB body."""
import socket
import struct
import threading
import time

from flask import Flask, Response, request


def reset_server():
    """A TCP server that reads the request and answers with a connection reset (RST)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def loop():
        while True:
            conn, _ = listener.accept()
            try:
                conn.recv(65536)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            finally:
                conn.close()

    threading.Thread(target=loop, daemon=True).start()
    return listener.getsockname()[1]


def create_app():
    app = Flask("hostile-sim")
    state = {"body": "", "status": 200, "mode": "normal", "content_type": "text/html", "hits": 0,
             "reset_port": reset_server()}

    @app.get("/_sim/reset-port")
    def reset_port():
        return {"port": state["reset_port"]}

    @app.post("/_sim/serve")
    def serve():
        conf = request.get_json(force=True)
        state.update({"body": "", "status": 200, "mode": "normal", "content_type": "text/html"})
        state.update(conf)
        state["hits"] = 0
        return {"ok": True}

    @app.get("/_sim/hits")
    def hits():
        return {"hits": state["hits"]}

    @app.route("/idp", methods=["GET", "POST"])
    def idp():
        state["hits"] += 1
        mode = state["mode"]
        if mode == "slow":
            time.sleep(state.get("seconds", 5))
        if mode == "big":
            chunk = b"<p>" + b"A" * (1024 * 1024 - 3)
            return Response((chunk for _ in range(state.get("megabytes", 50))), content_type="text/html")
        return Response(state["body"], status=state["status"], content_type=state["content_type"])

    return app
