"""The test-control endpoints every IdP simulator shares, under /_sim/:

  POST /_sim/config            replace the configuration (merged over the defaults), forget all state
  POST /_sim/expire-sessions   end every IdP session (the next login needs the user again)
  GET  /_sim/stats             counters a test reads to prove what happened on the wire"""
import json

from flask import request


def autofill_script(fields, form=None):
    """The test switch for browser login: a script that plays the person (a password manager,
    a finger on the security key) by filling `fields` into the page's form (`form`: its id,
    else the first) and submitting it. Only served when a test turns "autofill" on."""
    data = json.dumps(fields).replace("</", "<\\/")
    target = f"document.getElementById({json.dumps(form)})" if form else "document.forms[0]"
    return ("<script>addEventListener('load', function () {"
            f"var f = {target}, v = {data};"
            "for (var k in v) { var e = f.elements[k]; if (!e) { e = document.createElement('input'); e.type = 'hidden'; e.name = k; f.appendChild(e); } e.value = v[k]; }"
            "f.submit(); });</script>")


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
