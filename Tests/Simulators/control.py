"""The test-control endpoints every IdP simulator shares, under /_sim/:

  POST /_sim/config            replace the configuration (merged over the defaults), forget all state
  POST /_sim/expire-sessions   end every IdP session (the next login needs the user again)
  GET  /_sim/stats             counters a test reads to prove what happened on the wire"""
from flask import request


def add_control_routes(app, state, default_config, transient=(), sessions="sessions"):
    """`state` holds "config", "stats" and the collections named in `transient` (cleared on
    reconfiguration) and `sessions` (also cleared by expire-sessions)."""

    @app.post("/_sim/config")
    def set_config():
        conf = default_config()
        conf.update(request.get_json(force=True))
        state["config"] = conf
        for key in (*transient, sessions):
            if key in state:
                state[key].clear()
        for key in state["stats"]:
            state["stats"][key] = 0
        return {"ok": True}

    @app.post("/_sim/expire-sessions")
    def expire_sessions():
        state[sessions].clear()
        return {"ok": True}

    @app.get("/_sim/stats")
    def stats():
        return dict(state["stats"])
