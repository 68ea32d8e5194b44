"""Okta Identity Engine end to end: OAuth 2.0 device authorization, the token exchange for a
Web SSO token, /login/token/sso, and the refresh material in the keyring. The simulator
answers as Okta's API documentation says; the person approving the code on their phone is
the simulator's control route."""
import json
import re
import threading
import time

from conftest import IDP, PASSWORD, ROLE, add_session, http_json
from test_interactive import Terminal

CLIENT = "0oa9nativeCLI"
ARN = "arn:aws:sts::123456789012:assumed-role/Developer/alice"


def oie(okta, **extra):
    config = {"users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "identity_engine": True}
    config.update(extra)
    okta.configure(config)


def add_oie_session(world, okta, sts, client=CLIENT):
    add_session(world, sts, "okta", okta.saml_url)
    world.ok("idp-url", "edit", "okta", "--oidc-client-id", client)


def approve_when_asked(okta, answer="approve", delay=0.3):
    """Plays the person: waits for a pending code, then approves (or denies) it."""
    def run():
        deadline = time.time() + 30
        while time.time() < deadline:
            codes = okta.get("/_sim/device/pending")["user_codes"]
            if codes:
                time.sleep(delay)
                okta.post(f"/_sim/device/{answer}", {"user_code": codes[0], "user": "alice"})
                return
            time.sleep(0.05)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def device_start(world, *args, env=None):
    """`session start` at a terminal (a person is there to read the code)."""
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", *args], {**world.env, **(env or {})})
    return t


def idp_record(world):
    idp_id = json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["id"]
    return json.loads(world.secret_lookup("idp-session", idp_id))


def test_first_login_shows_the_code_and_caches_refresh_material(world, okta, sts, moto):
    oie(okta)
    add_oie_session(world, okta, sts)
    approve_when_asked(okta)
    t = device_start(world, "--verbose")
    seen = t.expect("enter the code ").decode(errors="replace")
    assert f"{okta.url}/activate" in seen
    assert t.wait() == 0, t.output.decode(errors="replace")
    out = seen + t.output.decode(errors="replace")
    assert f"started as {ARN}" in out and "Identity Engine org" in out
    stats = okta.get("/_sim/stats")
    assert stats["authn_password"] == 0 and stats["exchange"] == 1 and stats["saml_issued"] == 1
    record = idp_record(world)["oauth"]
    assert record["refreshToken"] and record["accessToken"].count(".") == 2
    for token in (record["refreshToken"], record["accessToken"]):
        assert token not in out, "tokens never reach the terminal"
    # The AWS CLI sees the role through credential_process.
    r = world.run(["aws", "sts", "get-caller-identity", "--profile", "dev", "--output", "json"],
                  env={"AWS_ENDPOINT_URL": moto, "AWS_ENDPOINT_URL_STS": moto})
    assert r.returncode == 0 and json.loads(r.stdout)["Arn"] == ARN, r.stderr


def test_silent_refresh_then_a_revoked_refresh_token(world, okta, sts):
    oie(okta)
    add_oie_session(world, okta, sts)
    approve_when_asked(okta)
    assert device_start(world).wait() == 0
    # No terminal, no person: the access token from the keyring makes a new Web SSO token.
    r = world.leapp("env", "dev", env={"LEAPP_REFRESH_MARGIN": "7200"})
    assert r.returncode == 0 and "AWS_ACCESS_KEY_ID" in r.stdout, r.stderr
    # The access token gone: the refresh token (rotated) makes new ones.
    okta.post("/_sim/expire-access-tokens")
    spent = idp_record(world)["oauth"]["refreshToken"]
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert idp_record(world)["oauth"]["refreshToken"] != spent, "the rotated refresh token is kept"
    r = world.leapp("credential-process", "dev", env={"LEAPP_REFRESH_MARGIN": "7200"})
    assert r.returncode == 0, r.stderr
    stats = okta.get("/_sim/stats")
    assert stats["device_authorize"] == 1 and stats["refresh"] == 1 and stats["saml_issued"] == 4
    # The org was asked its engine once; the answer is kept on the IdP URL's record.
    assert stats["org_probe"] == 1
    assert json.loads(world.config_path.read_text())["idpUrls"][0]["oktaEngine"] == "idx"
    # Refresh tokens revoked by the admin: a clear message and exit 75, never a hang.
    okta.post("/_sim/expire-access-tokens")
    okta.post("/_sim/revoke-refresh-tokens")
    r = world.leapp("--no-interactive", "session", "start", "dev", "--force", input="", timeout=20)
    assert r.returncode == 75
    assert "needs a person to approve a new Okta device login" in r.stderr and "leapp session start dev" in r.stderr


def test_the_verification_page_opens_where_there_is_a_display(world, okta, sts, tmp_path):
    oie(okta)
    add_oie_session(world, okta, sts)
    opened = tmp_path / "opened"
    opener = tmp_path / "opener"
    opener.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    opener.chmod(0o755)
    approve_when_asked(okta)
    assert device_start(world, env={"LEAPP_BROWSER": str(opener), "DISPLAY": ":0"}).wait() == 0
    assert opened.read_text().startswith(f"{okta.url}/activate?user_code=")
    # Over SSH (no display) nothing is opened: the person uses the URL and code on another device.
    opened.unlink()
    world.ok("idp-url", "logout", "okta")
    approve_when_asked(okta)
    assert device_start(world, "--force", env={"LEAPP_BROWSER": str(opener)}).wait() == 0
    assert not opened.exists()


def test_slow_down_is_honoured(world, okta, sts):
    # Okta announces 1 s but wants 2: the second poll gets slow_down, and leapp waits 5 s more.
    oie(okta, device_interval=1, device_min_interval=2)
    add_oie_session(world, okta, sts)
    approve_when_asked(okta, delay=2.5)
    started = time.time()
    t = device_start(world, "--verbose")
    assert t.wait() == 0, t.output.decode(errors="replace")
    stats = okta.get("/_sim/stats")
    assert stats["slow_down"] == 1 and stats["device_polls"] == 3
    assert time.time() - started >= 8
    assert b"polling every 6 s" in t.output


def test_denied_and_expired_codes(world, okta, sts):
    oie(okta)
    add_oie_session(world, okta, sts)
    approve_when_asked(okta, answer="deny")
    t = device_start(world)
    assert t.wait() == 69
    assert b"the Okta device login was denied" in t.output
    oie(okta, device_expires_in=1)
    t = device_start(world)
    assert t.wait() == 75
    assert b"the Okta device code expired before it was approved" in t.output


def test_detection_and_the_classic_fallback(world, okta, sts):
    # A classic org with a client id set keeps the classic API.
    okta.configure({"users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    add_oie_session(world, okta, sts)
    r = world.leapp("session", "start", "dev", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert okta.get("/_sim/stats")["authn_password"] == 1 and okta.get("/_sim/stats")["device_authorize"] == 0
    # An Identity Engine org without a client id says which setting is missing.
    oie(okta)
    world.ok("idp-url", "edit", "okta", "--oidc-client-id", "")
    r = world.leapp("session", "start", "dev", "--force", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert r.returncode == 69 and "Identity Engine" in r.stderr and "--oidc-client-id" in r.stderr
    # --login-method device forces the flow; a wrong client id is named.
    world.ok("idp-url", "edit", "okta", "--oidc-client-id", "0oaWRONG")
    t = device_start(world, "--force", "--login-method", "device")
    assert t.wait() == 69 and b"invalid_client" in t.output


def test_role_discovery_through_the_device_flow(world, okta, sts):
    other = "arn:aws:iam::123456789012:role/Auditor"
    oie(okta, roles=[[ROLE, IDP], [other, IDP]])
    add_oie_session(world, okta, sts)
    approve_when_asked(okta)
    t = Terminal([world.env["LEAPP_BIN"], "idp-url", "roles", "okta"], world.env)
    assert t.wait() == 0
    assert ROLE.encode() in t.output and other.encode() in t.output


def test_scopes_the_app_does_not_allow_are_dropped(world, okta, sts):
    oie(okta, allowed_scopes=["openid", "okta.apps.sso", "profile"])
    add_oie_session(world, okta, sts)
    approve_when_asked(okta)
    t = device_start(world)
    assert t.wait() == 0, t.output.decode(errors="replace")
    assert "refreshToken" not in idp_record(world)["oauth"] or idp_record(world)["oauth"]["refreshToken"] is None


def test_gimme_aws_creds_logs_in_against_the_simulator(world, okta, sts, moto):
    """An independent client of the same flow (gimme-aws-creds, from PyPI) completes a login
    against the simulator: it answers as Okta does (JWTs it decodes, the token exchange, the
    Web SSO page)."""
    oie(okta)
    (world.home / ".okta_aws_login_config").write_text(
        "[DEFAULT]\n"
        f"okta_org_url = {okta.url}\n"
        f"client_id = {CLIENT}\n"
        "gimme_creds_server = appurl\n"
        f"app_url = {okta.saml_url}\n"
        f"aws_rolename = {ROLE}\n"
        "write_aws_creds = False\n"
        "output_format = json\n"
        "okta_username = alice\n"
        "resolve_aws_alias = False\n"
        "include_path = False\n"
        "remember_device = False\n"
        "aws_default_duration = 3600\n"
        "force_classic = False\n"
        "cred_profile = role\n")
    approve_when_asked(okta)
    r = world.run(["gimme-aws-creds"], env={"AWS_ENDPOINT_URL_STS": moto, "AWS_ENDPOINT_URL": moto,
                                            "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    data = json.loads(r.stdout.strip().splitlines()[-1])
    assert data["role"]["arn"] == ROLE and data["credentials"]["aws_access_key_id"].startswith("ASIA")
    stats = okta.get("/_sim/stats")
    assert stats["device_authorize"] == 1 and stats["exchange"] == 1 and stats["saml_issued"] == 1


def qr_payloads(output, tmp_path):
    """Reads the QR codes leapp drew (black-on-white half blocks) back into an image and has
    zbar, an independent decoder, read them."""
    import subprocess
    text = output.decode(errors="replace")
    rows = [line.split("\x1b[30;47m", 1)[1].split("\x1b[0m", 1)[0] for line in text.split("\n") if "\x1b[30;47m" in line]
    assert rows, "no QR code drawn"
    grid = []
    for row in rows:
        top = [c in "█▀" for c in row]
        bottom = [c in "█▄" for c in row]
        grid += [top, bottom]
    scale, width, height = 6, len(grid[0]) * 6, len(grid) * 6
    pixels = bytearray()
    for line in grid:
        row = bytearray()
        for dark in line:
            row += bytes([0 if dark else 255]) * scale
        pixels += bytes(row) * scale
    image = tmp_path / "qr.pgm"
    image.write_bytes(f"P5 {width} {height} 255\n".encode() + bytes(pixels))
    r = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()


def test_the_code_is_also_a_qr_code_a_phone_can_scan(world, okta, sts, tmp_path):
    oie(okta)
    add_oie_session(world, okta, sts)
    approve_when_asked(okta)
    t = device_start(world, env={"TERM": "xterm-256color", "NO_COLOR": ""})
    assert t.wait() == 0, t.output.decode(errors="replace")
    complete = re.search(rb"or open (\S+), on any device", t.output).group(1).decode()
    assert qr_payloads(t.output, tmp_path) == [complete]
    # NO_COLOR (or no terminal): no drawing at all.
    world.ok("idp-url", "logout", "okta")
    approve_when_asked(okta)
    t = device_start(world, "--force", env={"TERM": "xterm-256color", "NO_COLOR": "1"})
    assert t.wait() == 0
    assert b"\x1b[30;47m" not in t.output


def test_the_app_id_when_the_url_is_not_the_embed_link(world, okta, sts):
    oie(okta)
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    url = okta.url + "/app/amazon_aws/exk1fxyz/sso/saml"  # the app's SAML address, not its embed link
    world.ok("idp-url", "create", "--name", "okta", "--provider", "okta", "--url", url, "--oidc-client-id", CLIENT)
    world.ok("session", "add", "--alias", "dev", "--profile", "dev", "--region", "eu-west-1", "--idp-url", "okta",
             "--idp-arn", IDP, "--role-arn", ROLE)
    t = device_start(world)
    assert t.wait() == 74 and b"--okta-app-id" in t.output
    world.ok("idp-url", "edit", "okta", "--okta-app-id", "0oa1b2c3d4AWS")
    assert json.loads(world.ok("idp-url", "list", "--output", "json").stdout)[0]["oktaAppId"] == "0oa1b2c3d4AWS"
    approve_when_asked(okta)
    t = device_start(world)
    assert t.wait() == 0, t.output.decode(errors="replace")
    assert okta.get("/_sim/stats")["exchange"] == 1


def test_an_explicit_start_without_a_terminal_shows_the_code_and_waits(world, okta, sts):
    """A device login needs no input, only someone who reads stderr: `session start` in a
    script or over `ssh host leapp ...` (no TTY) shows the URL and code and waits, as `aws sso
    login` does; the implicit paths (credential_process, env) and --no-interactive refuse."""
    oie(okta)
    add_oie_session(world, okta, sts)
    r = world.leapp("credential-process", "dev", input="", timeout=20)
    assert r.returncode == 75 and "needs a person" in r.stderr, r.stderr
    r = world.leapp("--no-interactive", "session", "start", "dev", input="", timeout=20)
    assert r.returncode == 75 and "leapp session start dev" in r.stderr, r.stderr
    approve_when_asked(okta)
    r = world.leapp("session", "start", "dev", input="", timeout=60)  # stdin and stderr are pipes
    assert r.returncode == 0, r.stderr
    assert f"{okta.url}/activate" in r.stderr and "enter the code" in r.stderr


def test_a_person_approving_a_code_holds_up_no_other_leapp(world, okta, sts):
    """While a device login waits for its approval, the IdP URL's lock is free: a refresh in
    another shell (credential_process, the hook) answers at once instead of waiting minutes."""
    import subprocess
    oie(okta)
    add_oie_session(world, okta, sts)
    world.ok("session", "add", "--alias", "other", "--profile", "other", "--region", "eu-west-1",
             "--idp-url", "okta", "--idp-arn", IDP, "--role-arn", ROLE)
    waiting = subprocess.Popen([world.env["LEAPP_BIN"], "session", "start", "dev"], env=world.env, text=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 20
        while not okta.get("/_sim/device/pending")["user_codes"] and time.time() < deadline:
            time.sleep(0.05)
        assert okta.get("/_sim/device/pending")["user_codes"], "the device login did not start"
        started = time.time()
        r = world.leapp("credential-process", "other", input="", timeout=30)
        assert r.returncode == 75 and "needs a person" in r.stderr, r.stderr
        assert time.time() - started < 15, "the other leapp waited for the person"
        approve_when_asked(okta)
        _, err = waiting.communicate(timeout=60)
        assert waiting.returncode == 0, err
    finally:
        waiting.kill()
    # The approved login's tokens were saved (under the lock): the other session now needs no one.
    r = world.leapp("credential-process", "other", input="", timeout=30)
    assert r.returncode == 0, r.stderr
