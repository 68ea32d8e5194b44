"""What leapp takes from outside and must not trust: a hand-edited or synced config, IdP labels in
a menu, the words after `exec`, and a locked keyring that must stop a login before it starts."""
import json
import os
import stat

import saml
from conftest import IDP, PASSWORD, ROLE, add_keycloak_session, keycloak_config, lock_keyring, start
from test_interactive import Terminal


def test_a_locked_keyring_stops_a_first_login_before_the_idp(world, hostile, sts):
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    world.ok("idp-url", "create", "--name", "corp", "--provider", "generic", "--url", hostile.saml_url)
    world.ok("session", "add", "--alias", "dev", "--profile", "dev", "--region", "eu-west-1", "--idp-url", "corp",
             "--idp-arn", IDP, "--role-arn", ROLE)
    lock_keyring(world)
    r = world.leapp("session", "start", "dev", "--username", "alice", "--password-stdin", input=PASSWORD + "\n", timeout=30)
    assert r.returncode == 75, r.stderr
    assert "keyring collection 'login' is locked" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert hostile.get("/_sim/hits")["hits"] == 0, "nothing went to the IdP, no password was posted"


def write_config(world, mutate):
    config = json.loads(world.config_path.read_text())
    mutate(config)
    world.config_path.write_text(json.dumps(config))


def test_control_characters_in_a_hand_edited_config_are_refused_by_entry(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    before = world.config_path.read_bytes()
    for field, value in [("alias", "dev\x1b]0;pwned\x07"), ("region", "eu-west-1\u009b2J"), ("roleArn", ROLE + "\u202e")]:
        world.config_path.write_bytes(before)
        write_config(world, lambda c: c["sessions"][0].__setitem__(field, value))
        broken = world.config_path.read_bytes()
        for args in (["session", "list"], ["session", "list", "--output", "yaml"], ["env", "dev"], ["doctor", "--offline"]):
            r = world.leapp(*args)
            out = (r.stdout + r.stderr).encode()
            assert b"\x1b]" not in out and b"\xc2\x9b" not in out and "\u202e".encode() not in out, (args, out)
            if args[0] != "doctor":
                assert r.returncode == 74, (args, r.stderr)
                assert "sessions[0]" in r.stderr and "leapp left it untouched" in r.stderr, r.stderr
        assert world.config_path.read_bytes() == broken, "the file is left as it was"
    world.config_path.write_bytes(before)
    write_config(world, lambda c: c["idpUrls"][0].__setitem__("username", "alice\x1b[2J"))
    r = world.leapp("idp-url", "list")
    assert r.returncode == 74 and "idpUrls[0] (acme).username holds a control character" in r.stderr, r.stderr


def test_mfa_labels_from_the_idp_are_filtered_in_the_menu(world, keycloak, sts):
    keycloak.configure(keycloak_config(users={"alice": {"password": PASSWORD, "otp": [
        {"id": "c0", "label": "\x1b]52;c;ZXZpbA==\x07phone\u009b2J", "secret": "s0"},
        {"id": "c1", "label": "tablet\u202e", "secret": "s1"}]}}))
    add_keycloak_session(world, keycloak, sts)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice"], world.env)
    t.expect("Password for alice at acme: "); t.send(PASSWORD)
    menu = t.expect("Number or text to filter [1-2]: ")
    assert b"\x1b]" not in menu and b"\xc2\x9b" not in menu and "\u202e".encode() not in menu, menu
    assert b"phone" in menu and b"tablet" in menu
    t.send("2")
    t.expect("One-time code: "); t.send(saml.totp(b"s1"))
    assert t.wait(timeout=30) == 0


def test_exec_double_dash_means_no_alias(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    add_keycloak_session(world, keycloak, sts, alias="terraform-admin", profile="tfa")
    assert start(world).returncode == 0
    env = {"LEAPP_SESSION": "dev"}
    r = world.leapp("exec", "--", "printenv", "LEAPP_SESSION", env=env)
    assert r.returncode == 0 and r.stdout == "dev\n", r.stderr
    r = world.leapp("exec", "dev", "--", "printenv", "LEAPP_SESSION")
    assert r.returncode == 0 and r.stdout == "dev\n", r.stderr
    # A command word is never an alias prefix: `terraform` does not select terraform-admin.
    r = world.leapp("exec", "--", "sh", "-c", "echo $LEAPP_SESSION", env=env)
    assert r.stdout == "dev\n", r.stderr
    r = world.leapp("exec", "terraform", "plan", env=env)
    assert r.returncode == 64 and "no session 'terraform'" in r.stderr and "terraform-admin" in r.stderr, r.stderr
    assert "leapp exec -- COMMAND" in r.stderr


def test_new_aws_files_are_private(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    assert not world.aws_path("credentials").exists() and not world.aws_path("config").exists()
    assert start(world).returncode == 0
    for name in ("credentials", "config"):
        assert stat.S_IMODE(os.stat(world.aws_path(name)).st_mode) == 0o600, name
