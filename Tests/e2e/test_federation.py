"""Starting sessions end to end: the Keycloak simulator, moto's STS (through the STS
front that can answer like real STS does), the keyring in a private D-Bus session,
the AWS CLI reading what leapp wrote and exported."""
import base64
import json
import re
import os
import stat
import subprocess
import time

import pytest

import saml
from conftest import IDP, PASSWORD, ROLE, add_keycloak_session, keycloak_config, start


def caller_arn(world, moto, env=None, profile=None):
    e = {"AWS_ENDPOINT_URL": moto, "AWS_ENDPOINT_URL_STS": moto}
    e.update(env or {})
    args = ["aws", "sts", "get-caller-identity", "--output", "json"] + (["--profile", profile] if profile else [])
    r = world.run(args, env=e)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["Arn"]


def exported(world, alias="dev", shell="bash"):
    """Runs `eval "$(leapp env ALIAS)"` in a real bash and returns the environment it leaves."""
    script = f'eval "$("$LEAPP_BIN" env {alias} --shell {shell})" && env -0'
    r = world.run(["bash", "-c", script])
    assert r.returncode == 0, r.stderr
    return dict(item.split("=", 1) for item in r.stdout.split("\0") if "=" in item)


def test_start_env_and_aws_cli(world, keycloak, sts, moto):
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode == 0, r.stderr
    assert "started as arn:aws:sts::123456789012:assumed-role/Developer/alice" in r.stderr
    env = exported(world)
    assert env["AWS_ACCESS_KEY_ID"].startswith("ASIA")
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["LEAPP_SESSION"] == "dev" and env["LEAPP_ROLE_ARN"] == ROLE
    assert int(env["LEAPP_EXPIRATION"]) > time.time() + 3000
    assert "AWS_PROFILE" not in env
    arn = caller_arn(world, moto, env={k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION")})
    assert arn == "arn:aws:sts::123456789012:assumed-role/Developer/alice"
    # The named profile works through credential_process, with no secret on disk.
    config = world.aws_path("config").read_text()
    assert "[profile dev]" in config and "credential_process = " in config and "credential-process dev" in config
    assert not world.aws_path("credentials").exists()
    assert caller_arn(world, moto, profile="dev") == arn
    # Cached in the keyring, visible to secret-tool.
    cached = json.loads(world.secret_lookup("credentials", json.loads(world.ok("session", "list", "--format", "json").stdout)[0]["id"]))
    assert cached["accessKeyId"] == env["AWS_ACCESS_KEY_ID"]


def test_cached_start_does_no_network(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    calls = len(sts.get("/_sim/calls")["calls"])
    posts = keycloak.get("/_sim/stats")
    r = world.leapp("session", "start", "dev", input="")
    assert r.returncode == 0 and "is active" in r.stderr
    world.ok("env", "dev")
    assert len(sts.get("/_sim/calls")["calls"]) == calls
    assert keycloak.get("/_sim/stats") == posts


def test_silent_refresh_from_keyring_cookies(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    before = keycloak.get("/_sim/stats")["password_posts"]
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert keycloak.get("/_sim/stats")["password_posts"] == before
    # leapp env near expiry refreshes silently too.
    first = exported(world)["AWS_ACCESS_KEY_ID"]
    r = world.leapp("env", "dev", env={"LEAPP_REFRESH_MARGIN": "7200"})
    assert r.returncode == 0, r.stderr
    assert first not in r.stdout
    assert keycloak.get("/_sim/stats")["password_posts"] == before


def test_expired_idp_session_without_terminal_says_what_to_run(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    keycloak.post("/_sim/expire-sessions")
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 75
    assert "`leapp session start dev`" in r.stderr and r.stderr.count("\n") == 1


def test_bad_password(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    r = start(world, password="wrong")
    assert r.returncode != 0
    assert "keycloak: login refused: Invalid username or password." in r.stderr
    assert "wrong" not in r.stderr and r.stderr.count("\n") == 1
    assert not world.aws_path("config").exists()


def test_locked_account(world, keycloak, sts):
    keycloak.configure(keycloak_config(locked=["alice"]))
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode != 0 and "Account is disabled" in r.stderr


def otp_user(*labels):
    return {"password": PASSWORD, "otp": [{"id": f"cred-{i}", "label": l, "secret": f"secret-{i}"} for i, l in enumerate(labels)]}


THEMES = ["tiles", "tiles-pf5", "keycloak.v2", "clickable", "keycloak3"]


@pytest.mark.parametrize("theme", THEMES)
def test_otp_single_authenticator(world, keycloak, sts, theme):
    keycloak.configure(keycloak_config(users={"alice": otp_user("phone")}, theme=theme))
    add_keycloak_session(world, keycloak, sts)
    r = start(world, "--mfa-code", saml.totp(b"secret-0"))
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("theme", THEMES)
def test_otp_wrong_code(world, keycloak, sts, theme):
    keycloak.configure(keycloak_config(users={"alice": otp_user("phone")}, theme=theme))
    add_keycloak_session(world, keycloak, sts)
    r = start(world, "--mfa-code", "000000" if saml.totp(b"secret-0") != "000000" else "111111")
    assert r.returncode != 0
    assert "one-time code refused: Invalid authenticator code." in r.stderr and "(step: OTP form)" in r.stderr, r.stderr


def test_otp_without_code_and_terminal(world, keycloak, sts):
    keycloak.configure(keycloak_config(users={"alice": otp_user("phone")}))
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode == 75 and "--mfa-code" in r.stderr


@pytest.mark.parametrize("theme", ["tiles", "tiles-pf5", "keycloak.v2", "clickable"])
def test_otp_several_authenticators_choose_by_name(world, keycloak, sts, theme):
    keycloak.configure(keycloak_config(users={"alice": otp_user("phone", "yubikey-otp")}, theme=theme))
    add_keycloak_session(world, keycloak, sts)
    r = start(world, "--mfa-factor", "yubikey-otp", "--mfa-code", saml.totp(b"secret-1"))
    assert r.returncode == 0, r.stderr
    # The code of the other authenticator is refused when this one is chosen.
    world.ok("session", "stop", "dev", "--forget")
    r = start(world, "--mfa-factor", "yubikey-otp", "--mfa-code", saml.totp(b"secret-0"))
    assert r.returncode != 0 and "refused" in r.stderr
    r = start(world, "--mfa-factor", "nope", "--mfa-code", "1")
    assert r.returncode != 0 and "available: phone, yubikey-otp" in r.stderr


def test_webauthn_refused_clearly(world, keycloak, sts):
    keycloak.configure(keycloak_config(users={"alice": {"password": PASSWORD, "webauthn": True}}))
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode != 0 and "security key (WebAuthn)" in r.stderr and "--saml-response-file" in r.stderr


def test_kerberos_401_page_is_passed(world, keycloak, sts):
    keycloak.configure(keycloak_config(kerberos=True))
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode == 0, r.stderr


def test_role_not_offered_lists_offered(world, keycloak, sts):
    other = "arn:aws:iam::123456789012:role/ReadOnly"
    keycloak.configure(keycloak_config(roles=[[other, IDP]]))
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode != 0
    assert f"does not offer role {ROLE}" in r.stderr and f"offered: {other}" in r.stderr


def test_roles_in_either_order(world, keycloak, sts):
    keycloak.configure(keycloak_config(roles=[f"{IDP},{ROLE}"]))
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0


def test_assertion_session_duration_is_used(world, keycloak, sts):
    keycloak.configure(keycloak_config(session_duration=5400))
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    assert sts.get("/_sim/calls")["calls"][-1]["DurationSeconds"] == "5400"


def test_duration_above_role_maximum_retries_at_3600(world, keycloak, sts):
    sts.post("/_sim/config", {"max_duration": 3600})
    add_keycloak_session(world, keycloak, sts, extra=("--duration", "28800"))
    r = start(world)
    assert r.returncode == 0, r.stderr
    assert "retrying with 3600 s" in r.stderr
    assert [c["DurationSeconds"] for c in sts.get("/_sim/calls")["calls"]] == ["28800", "3600"]


@pytest.mark.parametrize("code,status,expect", [
    ("AccessDenied", 403, "AccessDenied"),
    ("InvalidIdentityToken", 400, "InvalidIdentityToken"),
    ("IDPRejectedClaim", 400, "IDPRejectedClaim"),
    ("ExpiredTokenException", 400, "check this machine's clock"),
    ("RegionDisabledException", 403, "not activated in this region"),
])
def test_sts_errors_are_one_line(world, keycloak, sts, code, status, expect):
    add_keycloak_session(world, keycloak, sts)
    sts.post("/_sim/faults", {"faults": [{"code": code, "status": status, "message": "Not authorized", "times": 5}]})
    r = start(world)
    assert r.returncode != 0 and expect in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert not world.aws_path("config").exists()


def test_sts_throttling_and_5xx_are_retried(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    sts.post("/_sim/faults", {"faults": [{"code": "Throttling", "status": 400, "times": 1}, {"status": 503, "times": 1}]})
    r = start(world)
    assert r.returncode == 0, r.stderr
    assert len(sts.get("/_sim/calls")["calls"]) == 3


def test_sts_persistent_500_fails(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    sts.post("/_sim/faults", {"faults": [{"status": 500, "times": 10}]})
    r = start(world)
    assert r.returncode != 0 and "HTTP 500" in r.stderr


def test_sts_unreachable(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    r = start(world, env={"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"})
    assert r.returncode != 0 and "cannot reach STS" in r.stderr


def test_sts_plain_http_elsewhere_refused(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    r = start(world, env={"AWS_ENDPOINT_URL_STS": "http://sts.example.com"})
    assert r.returncode != 0 and "must be https" in r.stderr


def test_credentials_file_mode_keeps_foreign_content(world, keycloak, sts, moto):
    creds = world.aws_path("credentials")
    creds.parent.mkdir(parents=True)
    original = ("# my keys, hand edited\n[default]\naws_access_key_id = AKIAFOREIGN\n"
                "aws_secret_access_key = foreign ; keep\n\n[other] # note\nregion=us-east-1\n")
    creds.write_text(original)
    os.chmod(creds, 0o644)
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    r = start(world, check=True)
    text = creds.read_text()
    assert text.startswith(original)
    assert "[dev]\naws_access_key_id = ASIA" in text and "aws_session_token = " in text and "x_security_token_expires" in text
    # The mode is the user's: kept, with a warning about what it means for the keys.
    assert stat.S_IMODE(os.stat(creds).st_mode) == 0o644
    assert "is readable by other users (mode 644)" in r.stderr
    config = world.aws_path("config").read_text()
    assert "[profile dev]\nregion = eu-west-1\n" in config and "credential_process" not in config
    assert caller_arn(world, moto, profile="dev").endswith("assumed-role/Developer/alice")
    world.ok("session", "stop", "dev")
    assert creds.read_text() == original
    assert world.secret_lookup("credentials", json.loads(world.ok("session", "list", "--format", "json").stdout)[0]["id"]) is None


def test_empty_credentials_file(world, keycloak, sts):
    creds = world.aws_path("credentials")
    creds.parent.mkdir(parents=True)
    creds.write_text("")
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    start(world, check=True)
    assert creds.read_text().startswith("[dev]\n")


def test_aws_shared_credentials_file_honoured(world, keycloak, sts):
    target = world.root / "elsewhere" / "creds"
    cfg = world.root / "elsewhere" / "config"
    world.env.update(AWS_SHARED_CREDENTIALS_FILE=str(target), AWS_CONFIG_FILE=str(cfg))
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    start(world, check=True)
    assert "[dev]" in target.read_text() and "[profile dev]" in cfg.read_text()
    assert not world.aws_path("credentials").exists()


def test_concurrent_starts_of_different_sessions(world, keycloak, sts):
    for i in range(6):
        add_keycloak_session(world, keycloak, sts, alias=f"s{i}", profile=f"p{i}", extra=("--output", "credentials-file"))
    procs = [subprocess.Popen([world.env["LEAPP_BIN"], "session", "start", f"s{i}", "--username", "alice", "--password-stdin"],
                              env=world.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(6)]
    for p in procs:
        p.stdin.write(PASSWORD + "\n")
        p.stdin.close()
    for p in procs:
        assert p.wait(60) == 0, p.stderr.read()
    text = world.aws_path("credentials").read_text()
    config = world.aws_path("config").read_text()
    for i in range(6):
        assert f"[p{i}]" in text and f"[profile p{i}]" in config


def test_session_list_and_current_show_state(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    add_keycloak_session(world, keycloak, sts, alias="idle", profile="idle")
    start(world, check=True)
    states = {s["alias"]: s["state"] for s in json.loads(world.ok("session", "list", "--format", "json").stdout)}
    assert states == {"dev": "active", "idle": "stopped"}
    current = json.loads(world.ok("session", "current").stdout)
    assert current["alias"] == "dev" and current["accountNumber"] == "123456789012"
    world.ok("session", "stop", "dev")
    r = world.leapp("session", "current")
    assert r.returncode != 0 and "no active session" in r.stderr
    assert "credential_process" not in world.aws_path("config").read_text()


def test_generic_pasted_saml_response(world, keycloak, sts, moto):
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    world.ok("session", "add", "--alias", "pasted", "--profile", "pasted", "--region", "eu-west-1",
             "--idp-url", "https://sso.example.com/start", "--provider", "generic", "--idp-arn", IDP, "--role-arn", ROLE)
    response = saml.encode(saml.response_xml("https://sso.example.com", "bob", [(ROLE, IDP)]))
    path = world.root / "captured.txt"
    path.write_text(response + "\n")
    r = world.leapp("session", "start", "pasted", "--saml-response-file", str(path))
    assert r.returncode == 0, r.stderr
    assert "assumed-role/Developer/bob" in r.stderr
    r = world.leapp("session", "start", "pasted", "--saml-response-file", "-", input="not base64 !!")
    assert r.returncode != 0 and "the pasted text is not a SAMLResponse" in r.stderr
    # What people copy out of a browser, each shape through the real STS (moto).
    import html
    import urllib.parse
    xml = base64.b64decode(response).decode()
    for shape in (urllib.parse.urlencode({"SAMLResponse": response, "RelayState": "https://console.aws.amazon.com"}),
                  urllib.parse.quote(response, safe=""), html.escape(response).replace("+", "&#x2B;").replace("=", "&#61;"),
                  f'<input type="hidden" name="SAMLResponse" value="{response}"/>', xml):
        r = world.leapp("session", "start", "pasted", "--force", "--saml-response-file", "-", input=shape)
        assert r.returncode == 0 and "assumed-role/Developer/bob" in r.stderr, (shape[:60], r.stderr)


def test_generic_form_idp_logs_in_with_cookies(world, keycloak, sts):
    # Keycloak's login page is an ordinary form: the generic provider can drive it too.
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    world.ok("session", "add", "--alias", "g", "--profile", "g", "--region", "eu-west-1", "--idp-url", keycloak.saml_url,
             "--provider", "generic", "--idp-arn", IDP, "--role-arn", ROLE)
    assert start(world, alias="g").returncode == 0
    assert world.leapp("session", "start", "g", "--force", input="").returncode == 0


def test_credential_process_and_exec(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    doc = json.loads(world.ok("credential-process", "dev").stdout)
    assert doc["Version"] == 1 and doc["AccessKeyId"].startswith("ASIA") and doc["Expiration"].endswith("Z")
    r = world.leapp("exec", "dev", "--", "bash", "-c", 'test "$AWS_ACCESS_KEY_ID" = "$1" && test -z "${AWS_PROFILE+x}" && exit 7',
                    "_", doc["AccessKeyId"], env={"AWS_PROFILE": "stale"})
    assert r.returncode == 7
    assert world.leapp("exec", "dev", "--", "/no/such/cmd").returncode == 127


def test_env_formats(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    doc = json.loads(world.ok("env", "dev", "--shell", "json").stdout)
    assert set(doc) == {"Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}
    dotenv = world.ok("env", "dev", "--shell", "dotenv").stdout
    assert 'AWS_REGION="eu-west-1"' in dotenv
    fish = world.ok("env", "dev", "--shell", "fish").stdout
    assert "set -gx AWS_ACCESS_KEY_ID " in fish and "set -e -g AWS_PROFILE" in fish
    zsh_default = world.ok("env", "dev", env={"SHELL": "/usr/bin/fish"}).stdout
    assert "set -gx" in zsh_default


def test_verbose_output_has_no_secrets(world, keycloak, sts):
    keycloak.configure(keycloak_config(users={"alice": otp_user("phone")}))
    add_keycloak_session(world, keycloak, sts)
    code = saml.totp(b"secret-0")
    r = start(world, "--mfa-code", code, "--verbose")
    assert r.returncode == 0, r.stderr
    assert "GET http://127.0.0.1" in r.stderr and "calling STS" in r.stderr
    doc = json.loads(world.ok("credential-process", "dev").stdout)
    for secret in (PASSWORD, code, doc["SecretAccessKey"], doc["SessionToken"], "SAMLResponse", "KEYCLOAK_IDENTITY", "session_code"):
        assert secret not in r.stderr and secret not in r.stdout


def test_no_keyring_fails_fast(bare_world, keycloak, sts):
    """The Secret Service asked for where there is no bus: a clear, fast failure."""
    w = bare_world
    w.env["AWS_ENDPOINT_URL_STS"] = sts.url
    w.env["LEAPP_SECRET_STORE"] = "secret-service"
    w.ok("session", "add", "--alias", "dev", "--profile", "dev", "--region", "eu-west-1", "--idp-url", keycloak.saml_url,
         "--provider", "keycloak", "--idp-arn", IDP, "--role-arn", ROLE)
    for args in (["env", "dev"], ["session", "start", "dev", "--username", "alice", "--password-stdin"]):
        r = w.leapp(*args, input=PASSWORD + "\n", timeout=15)  # a hang fails here
        assert r.returncode == 69, r.stderr
        assert "no D-Bus session bus" in r.stderr and "dbus-run-session" in r.stderr


def test_keyring_daemon_killed(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    world.keyring.terminate()
    world.keyring.wait(5)
    # D-Bus may start a fresh daemon whose collection is locked: leapp must not hang on it.
    r = start(world, timeout=15)  # a hang fails here
    assert r.returncode in (69, 75), r.stderr
    assert "keyring" in r.stderr and r.stderr.count("\n") == 1
    assert not world.aws_path("config").exists()


def test_encrypted_assertion_skips_role_check_with_notice(world, keycloak, sts):
    keycloak.configure(keycloak_config(roles=[["arn:aws:iam::123456789012:role/Other", IDP]], encrypted=True))
    add_keycloak_session(world, keycloak, sts)
    sts.post("/_sim/faults", {"faults": [{"code": "InvalidIdentityToken", "status": 400, "message": "cannot decrypt", "times": 1}]})
    r = start(world)
    assert "the assertion is encrypted; cannot check that" in r.stderr
    assert "does not offer" not in r.stderr
    assert sts.get("/_sim/calls")["calls"][-1]["RoleArn"] == ROLE


def test_keycloak_username_first_flow(world, keycloak, sts):
    keycloak.configure(keycloak_config(username_first=True))
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    r = start(world, password="wrong")
    assert r.returncode == 69 and "login refused: Invalid password." in r.stderr
    r = world.leapp("session", "start", "dev", "--username", "nobody", "--password-stdin", input="x\n")
    assert r.returncode == 69 and "login refused: Invalid username or email." in r.stderr


def test_fast_path_and_full_parser_agree(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    plain = world.ok("env", "dev", "--shell", "zsh").stdout
    verbose = world.ok("env", "dev", "--shell", "zsh", "--verbose").stdout  # goes through the full parser
    assert plain.splitlines()[:-1] == verbose.splitlines()[:-1]
    r = world.leapp("env", "dev", "--shell", "tcsh")
    assert r.returncode != 0 and "tcsh" in r.stderr
    r = world.leapp("credential-process", "dev", "--bogus")
    assert r.returncode != 0 and "--bogus" in r.stderr
    assert re.fullmatch(r"\d+\.\d+\.\d+\n", world.ok("--version").stdout)
    assert json.loads(world.ok("credential-process", "dev").stdout) == json.loads(world.ok("session", "generate", "dev").stdout)


def test_login_methods_per_idp_url_and_per_login(world, keycloak, sts, moto):
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    # An IdP URL that always logs in by pasting: no IdP is contacted (this host does not even exist).
    world.ok("idp-url", "create", "--name", "corp", "--provider", "okta", "--login-method", "paste",
             "--url", "https://corp.okta.invalid/home/amazon_aws/0oa1/272")
    world.ok("session", "add", "--alias", "corp", "--profile", "corp", "--region", "eu-west-1", "--idp-url", "corp",
             "--idp-arn", IDP, "--role-arn", ROLE)
    rows = {i["name"]: i for i in json.loads(world.ok("idp-url", "list", "--format", "json").stdout)}
    assert rows["corp"]["loginMethod"] == "paste"
    assert "paste" in world.ok("idp-url", "list").stdout.splitlines()[1]
    r = world.leapp("session", "start", "corp")
    assert r.returncode == 64 and "corp logs in with a pasted SAMLResponse" in r.stderr and "--saml-response-file" in r.stderr, r.stderr
    response = saml.encode(saml.response_xml("https://corp.okta.invalid", "carol", [(ROLE, IDP)]))
    r = world.leapp("session", "start", "corp", "--saml-response-file", "-", input=response)
    assert r.returncode == 0 and "assumed-role/Developer/carol" in r.stderr, r.stderr
    # Per login: paste on a headless IdP URL; headless with a file is a contradiction.
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("session", "start", "dev", "--login-method", "paste")
    assert r.returncode == 64 and "acme logs in with a pasted SAMLResponse" in r.stderr, r.stderr
    r = world.leapp("session", "start", "dev", "--login-method", "headless", "--saml-response-file", "-", input=response)
    assert r.returncode == 64 and "goes with the paste login method" in r.stderr, r.stderr
    # Switching the IdP URL back to headless logs in at the IdP again.
    world.ok("idp-url", "edit", "corp", "--login-method", "headless")
    assert json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["loginMethod"] == "headless"
