"""The CLI as people coming from aws-vault, granted and saml2aws expect it: the alias left out,
menus that filter, answers re-asked, one output option on every list, did-you-mean, and
messages that name the command to run."""
import csv
import io
import json
import os
import subprocess

import pytest

from conftest import IDP, PASSWORD, ROLE, add_keycloak_session, keycloak_config, start
from test_interactive import Terminal
from test_shell import offline_session, plant_credentials

AUDITOR = "arn:aws:iam::210987654321:role/Auditor"
AUDITOR_IDP = "arn:aws:iam::210987654321:saml-provider/acme"


def two_sessions(world):
    offline_session(world, "dev")
    offline_session(world, "prod", region="us-east-1")
    plant_credentials(world, "dev", "ASIADEV", "s1", "t1")
    plant_credentials(world, "prod", "ASIAPROD", "s2", "t2", expires_in=7200)
    # Started on their cached credentials (no network): their profiles are written, so active.
    world.ok("session", "start", "dev")
    world.ok("session", "start", "prod")


def test_the_alias_comes_from_the_directory_then_the_shell(world, tmp_path):
    two_sessions(world)
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / ".leapp-session").write_text("prod\n")
    # Not allowed yet: the marker names nothing, and without a terminal the error lists the candidates.
    r = world.run([world.env["LEAPP_BIN"], "env"], cwd=project / "src")
    assert r.returncode == 64 and "which session?" in r.stderr and "dev, prod" in r.stderr
    world.ok("allow", str(project))
    r = world.run([world.env["LEAPP_BIN"], "env", "--shell", "bash"], cwd=project / "src")
    assert r.returncode == 0 and "ASIAPROD" in r.stdout, r.stderr
    # Elsewhere, $LEAPP_SESSION (the session active in this shell) is the one meant.
    r = world.leapp("exec", env={"LEAPP_SESSION": "dev", "SHELL": "/bin/sh"}, input='printf "%s" "$AWS_ACCESS_KEY_ID"\n')
    assert r.returncode == 0 and r.stdout == "ASIADEV", r.stderr
    r = world.leapp("session", "stop", env={"LEAPP_SESSION": "dev"})
    assert r.returncode == 0 and "session dev stopped" in r.stderr


def test_the_alias_picker_filters_as_you_type(world):
    two_sessions(world)
    t = Terminal([world.env["LEAPP_BIN"], "env", "--shell", "bash"], world.env)
    t.expect("Which session?")
    t.expect("Number or text to filter [1-2]: ")
    t.send("pro")
    assert t.wait() == 0
    assert b"ASIAPROD" in t.output


def test_several_active_sessions_current_prefers_the_named_one(world):
    two_sessions(world)
    r = world.leapp("session", "current")
    assert r.returncode == 64 and "2 sessions are active" in r.stderr
    r = world.leapp("session", "current", env={"LEAPP_SESSION": "prod"})
    assert r.returncode == 0 and json.loads(r.stdout)["alias"] == "prod"


def test_every_list_takes_the_same_output_options(world):
    two_sessions(world)
    sessions = json.loads(world.ok("session", "list", "--output", "json").stdout)
    dev = next(s for s in sessions if s["alias"] == "dev")
    # Real types: numbers, null, RFC 3339.
    assert isinstance(dev["secondsLeft"], int) and 3000 < dev["secondsLeft"] <= 3600
    assert dev["duration"] is None and dev["expiration"].endswith("Z")
    assert dev["left"] in ("59m", "1h") and dev["state"] == "active"
    table = world.ok("session", "list", "--columns", "alias,left", "--sort", "-alias", "--no-header").stdout.splitlines()
    assert [line.split()[0] for line in table] == ["prod", "dev"]
    assert table[0].split()[1] in ("1h59m", "2h")
    rows = list(csv.reader(io.StringIO(world.ok("session", "list", "--format", "csv", "--columns", "alias,region").stdout)))
    assert rows == [["alias", "region"], ["dev", "eu-west-1"], ["prod", "us-east-1"]]
    assert world.ok("session", "list", "--output", "yaml", "--columns", "alias", "--sort", "secondsLeft").stdout == \
        '- alias: "dev"\n- alias: "prod"\n'
    idps = json.loads(world.ok("idp-url", "list", "--output", "json").stdout)
    assert idps[0]["sessions"] == 2 and idps[0]["username"] is None
    assert world.ok("idp-url", "list", "--output", "csv", "--columns", "name,sessions", "--no-header").stdout == "idp.example.com,2\n"
    profiles = json.loads(world.ok("profile", "list", "--output", "json").stdout)
    assert {"name": "prod", "sessions": ["prod"]} in profiles
    r = world.leapp("session", "list", "--sort", "colour")
    assert r.returncode == 64 and "unknown column 'colour'" in r.stderr


def test_empty_lists_are_empty_in_every_format(world):
    for command in (["session", "list"], ["idp-url", "list"]):
        assert world.ok(*command, "--output", "json").stdout == "[]\n"
        assert world.ok(*command, "--output", "yaml").stdout == "[]\n"
        assert world.ok(*command, "--output", "csv", "--no-header").stdout == ""


def test_roles_list_takes_the_output_options(world, keycloak, sts):
    keycloak.configure(keycloak_config(roles=[[ROLE, IDP], [AUDITOR, AUDITOR_IDP]]))
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("idp-url", "roles", "acme", "--username", "alice", "--password-stdin", "--output", "csv",
                    "--columns", "account,roleName", "--sort", "-account", input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "account,roleName\n210987654321,Auditor\n123456789012,Developer\n"


@pytest.mark.parametrize("argv, meant", [
    (["sesion", "list"], "session"),
    (["session", "strat", "dev"], "start"),
    (["session", "start", "dev", "--forse"], "--force"),
    (["idp-url", "create", "--urll", "https://x"], "--url"),
])
def test_did_you_mean(world, argv, meant):
    r = world.leapp(*argv)
    assert r.returncode == 64
    assert f"(did you mean `{meant}`?)" in r.stderr and r.stderr.count("\n") == 1, r.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_env_without_the_hook_leaves_no_hook_variables(world, shell):
    offline_session(world)
    plant_credentials(world, "dev", "ASIADEV", "s1", "t1")
    if shell == "fish":
        script = '"$LEAPP_BIN" env dev --shell fish | source; set -n | string match -q "__leapp*"; and echo LITTER; echo $AWS_ACCESS_KEY_ID'
        argv = ["fish", "-N", "-c", script]
    else:
        script = f'eval "$("$LEAPP_BIN" env dev --shell {shell})"; set | grep -q "^__leapp" && echo LITTER; echo $AWS_ACCESS_KEY_ID'
        argv = [shell, "-f", "-c", script] if shell == "zsh" else ["bash", "--norc", "-c", script]
    r = world.run(argv)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ASIADEV", r.stdout


def test_a_username_typed_at_the_prompt_is_remembered(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev"], world.env)
    t.expect("Username for acme: "); t.send("alice")
    t.expect("Password"); t.send(PASSWORD)
    assert t.wait() == 0
    assert b"remembered alice as acme's username" in t.output
    assert json.loads(world.ok("idp-url", "list", "--output", "json").stdout)[0]["username"] == "alice"
    config = world.config_path.read_text()
    assert PASSWORD not in config


def test_another_username_does_not_ride_on_the_stored_session(world, keycloak, sts):
    keycloak.configure(keycloak_config(users={"alice": {"password": PASSWORD}, "bob": {"password": "bobs pw"}}))
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("session", "start", "dev", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    r = world.leapp("session", "start", "dev", "--force", "--username", "bob", "--password-stdin", input="bobs pw\n")
    assert r.returncode == 0, r.stderr
    assert "assumed-role/Developer/bob" in r.stderr
    assert keycloak.get("/_sim/stats")["password_posts"] == 2


def test_a_missing_username_hints_the_flag(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("session", "start", "dev", input="")
    assert r.returncode == 75 and "--username" in r.stderr


def test_interactive_add_reasks_and_offers_menus(world, keycloak, sts):
    keycloak.configure(keycloak_config(roles=[[ROLE, IDP], [AUDITOR, AUDITOR_IDP]]))
    add_keycloak_session(world, keycloak, sts, alias="first", profile="first")
    t = Terminal([world.env["LEAPP_BIN"], "session", "add", "--username", "alice"], world.env)
    t.expect("Alias: "); t.send("bad alias!")
    t.expect("try again"); t.expect("Alias: "); t.send("first")
    t.expect("already exists"); t.expect("Alias: "); t.send("audit")
    t.expect("Named profile [audit]: "); t.send("")
    t.expect("IdP URL:"); t.expect("a new SAML 2.0 URL"); t.expect("Number or text to filter [1-2]: "); t.send("acme")
    t.expect("logs in)? [Y/n] "); t.send("")
    t.expect("Password"); t.send(PASSWORD)
    t.expect("Role:"); t.expect("Number or text to filter [1-2]: "); t.send("Auditor")
    t.expect("Region [us-east-1]: "); t.send("mars-1")
    t.expect("unknown region"); t.expect("Region [us-east-1]: "); t.send("eu-west-1")
    assert t.wait() == 0, t.output.decode(errors="replace")
    audit = next(s for s in json.loads(world.ok("session", "list", "--output", "json").stdout) if s["alias"] == "audit")
    assert audit["roleArn"] == AUDITOR and audit["idpArn"] == AUDITOR_IDP and audit["region"] == "eu-west-1"


def test_a_hook_refresh_that_needs_a_person_says_what_to_run(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("hook-env", "--shell", "bash", "--session", "dev")
    assert "dev needs you to log in again, and the prompt hook never asks; run `leapp session start dev`" in r.stderr, r.stderr
    assert "no terminal" not in r.stderr


def test_one_login_starts_every_session_of_an_idp_url(world, keycloak, sts, moto):
    admin = "arn:aws:iam::123456789012:role/Admin"
    keycloak.configure(keycloak_config(roles=[[ROLE, IDP], [admin, IDP]]))
    add_keycloak_session(world, keycloak, sts, alias="dev", profile="dev")
    world.ok("session", "add", "--alias", "admin", "--profile", "admin", "--region", "eu-west-1", "--idp-url", "acme",
             "--idp-arn", IDP, "--role-arn", admin)
    world.ok("session", "add", "--alias", "gone", "--profile", "gone", "--region", "eu-west-1", "--idp-url", "acme",
             "--idp-arn", IDP, "--role-arn", "arn:aws:iam::123456789012:role/Removed")
    r = world.leapp("session", "start", "--all-of-idp-url", "acme", "--username", "alice", "--password-stdin",
                    input=PASSWORD + "\n")
    assert r.returncode == 69, r.stderr
    assert "session dev started as arn:aws:sts::123456789012:assumed-role/Developer/alice" in r.stderr
    assert "session admin started as arn:aws:sts::123456789012:assumed-role/Admin/alice" in r.stderr
    assert "leapp: gone: the IdP does not offer role arn:aws:iam::123456789012:role/Removed" in r.stderr
    assert "1 of 3 sessions did not start" in r.stderr
    assert keycloak.get("/_sim/stats")["password_posts"] == 1, "one login for all of them"
    states = {s["alias"]: s["state"] for s in json.loads(world.ok("session", "list", "--output", "json").stdout)}
    assert states == {"dev": "active", "admin": "active", "gone": "stopped"}


def test_open_web_console_lands_where_asked(world, keycloak, sts):
    import urllib.parse
    add_keycloak_session(world, keycloak, sts)
    world.leapp("session", "start", "dev", "--username", "alice", "--password-stdin", input=PASSWORD + "\n", check=True)
    world.env["LEAPP_FEDERATION_URL"] = sts.url + "/federation"

    def landing(*args):
        url = world.ok("session", "open-web-console", "dev", "--print", *args).stdout.strip()
        return urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["Destination"][0]
    assert landing("--service", "s3", "--region", "us-east-1") == "https://console.aws.amazon.com/s3/home?region=us-east-1"
    assert landing("--destination", "https://eu-west-1.console.aws.amazon.com/ec2/home#Instances") == \
        "https://eu-west-1.console.aws.amazon.com/ec2/home#Instances"
    for bad in (["--destination", "https://evil.example/"], ["--region", "cn-north-1"], ["--service", "s3/../x"]):
        r = world.leapp("session", "open-web-console", "dev", "--print", *bad)
        assert r.returncode == 64 and r.stdout == "", (bad, r.stderr)


@pytest.mark.parametrize("extra_env, args, colored", [
    ({}, [], True),
    ({"NO_COLOR": "1"}, [], False),
    ({}, ["--no-color"], False),
    ({"TERM": "dumb"}, [], False),
])
def test_color_only_on_a_terminal_and_never_when_asked_not_to(world, extra_env, args, colored):
    t = Terminal([world.env["LEAPP_BIN"], *args, "session", "start", "nosuch"], {**world.env, **extra_env})
    assert t.wait() == 64
    out = t.output.decode(errors="replace")
    assert ("\x1b[1;31mleapp:\x1b[0m " in out) == colored, repr(out)
    assert out.count("\n") == 1
    # Not a terminal: never.
    r = world.leapp("session", "start", "nosuch")
    assert r.stderr.startswith("leapp: ") and "\x1b" not in r.stderr


@pytest.mark.parametrize("argv", [["idp-url", "roles"], ["idp-url", "logout"], ["session", "add", "--all", "--from-idp-url"],
                                  ["session", "start", "--all-of-idp-url"]])
def test_an_unknown_idp_url_is_named_the_same_way_everywhere(world, argv):
    r = world.leapp(*argv, "nope\x1b[31m")
    assert r.returncode == 64, r.stderr
    assert r.stderr == "leapp: no IdP URL 'nope?[31m'; see `leapp idp-url list`\n"


def test_one_meaning_of_active(world, keycloak, sts, moto):
    """`leapp env` on a stopped session caches credentials without writing its profile: the
    list says cached (not active), `session current` says it is not started, and the AWS CLI
    finds no profile; `session start` makes it active, and the AWS CLI works."""
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    world.ok("session", "stop", "dev")  # the IdP session stays: env logs in again with no person
    r = world.leapp("env", "dev", input="")
    assert r.returncode == 0 and "AWS_ACCESS_KEY_ID" in r.stdout, r.stderr
    assert json.loads(world.ok("session", "list", "--format", "json").stdout)[0]["state"] == "cached"
    r = world.leapp("session", "current", env={"LEAPP_SESSION": "dev"})
    assert r.returncode == 64 and "cached for this shell" in r.stderr and "leapp session start dev" in r.stderr, r.stderr
    aws = world.run(["aws", "sts", "get-caller-identity", "--profile", "dev"], env={"AWS_ENDPOINT_URL": moto})
    assert aws.returncode != 0
    world.ok("session", "start", "dev")
    assert json.loads(world.ok("session", "list", "--format", "json").stdout)[0]["state"] == "active"
    aws = world.run(["aws", "sts", "get-caller-identity", "--profile", "dev", "--output", "json"],
                    env={"AWS_ENDPOINT_URL": moto, "AWS_ENDPOINT_URL_STS": moto})
    assert aws.returncode == 0, aws.stderr


def test_mistakes_get_one_suggestion_in_leapps_words(world):
    """A mistyped subcommand is an unknown command (not "2 unexpected arguments"), a mistyped
    flag gets one suggestion (not ArgumentParser's and leapp's both), an unknown alias gets the
    nearest one from the session list."""
    offline_session(world, "dev")
    r = world.leapp("session", "strt", "dev")
    assert r.returncode == 64 and "unknown command 'strt' (did you mean `start`?)" in r.stderr, r.stderr
    assert "unexpected argument" not in r.stderr
    r = world.leapp("session", "start", "--forse", "dev")
    assert r.returncode == 64 and r.stderr.count("did you mean") + r.stderr.count("Did you mean") == 1, r.stderr
    assert "(did you mean `--force`?)" in r.stderr
    r = world.leapp("session", "start", "devv")
    assert r.returncode == 64 and "no session 'devv'" in r.stderr and "did you mean dev?" in r.stderr, r.stderr


def test_the_top_level_help_lists_the_global_flags(world):
    out = world.ok("--help").stdout
    for flag in ("-v, --verbose", "-q, --quiet", "--no-interactive", "--no-color"):
        assert flag in out, flag


def test_interactive_add_with_a_new_saml_url_picks_the_role_from_the_assertion(world, keycloak, sts):
    """Newcomers do not know their IdP ARN: with a SAML URL never seen before, `session add`
    makes the IdP URL, logs in once and offers the roles the assertion carries."""
    keycloak.configure(keycloak_config(roles=[[ROLE, IDP], [AUDITOR, AUDITOR_IDP]]))
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    t = Terminal([world.env["LEAPP_BIN"], "session", "add", "--username", "alice"], world.env)
    t.expect("Alias: "); t.send("audit")
    t.expect("Named profile [audit]: "); t.send("")
    t.expect("SAML 2.0 URL"); t.send(keycloak.saml_url)
    t.expect("logs in)? [Y/n] "); t.send("")
    seen = t.expect("Password").decode(errors="replace")
    if "Identity provider:" in seen:
        t.send("keycloak")
        t.expect("Password")
    t.send(PASSWORD)
    t.expect("Role:"); t.expect("Number or text to filter [1-2]: "); t.send("Auditor")
    t.expect("Region ["); t.send("eu-west-1")
    assert t.wait() == 0, t.output.decode(errors="replace")
    audit = json.loads(world.ok("session", "list", "--output", "json").stdout)[0]
    assert audit["roleArn"] == AUDITOR and audit["idpArn"] == AUDITOR_IDP, audit
    assert json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["url"] == keycloak.saml_url


def test_a_role_the_idp_does_not_offer_gets_a_menu_at_a_terminal(world, keycloak, sts):
    keycloak.configure(keycloak_config(roles=[[ROLE, IDP], [AUDITOR, AUDITOR_IDP]]))
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    world.ok("idp-url", "create", "--name", "acme", "--provider", "keycloak", "--url", keycloak.saml_url)
    world.ok("session", "add", "--alias", "dev", "--profile", "dev", "--region", "eu-west-1", "--idp-url", "acme",
             "--idp-arn", IDP, "--role-arn", "arn:aws:iam::123456789012:role/Removed")
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice"], world.env)
    t.expect("Password"); t.send(PASSWORD)
    t.expect("does not offer"); t.expect("Role:"); t.expect("Number or text to filter [1-2]: "); t.send("Auditor")
    t.expect("Save it as dev's role? [Y/n] "); t.send("")
    assert t.wait() == 0, t.output.decode(errors="replace")
    dev = json.loads(world.ok("session", "list", "--output", "json").stdout)[0]
    assert dev["roleArn"] == AUDITOR and dev["idpArn"] == AUDITOR_IDP and dev["state"] == "active", dev


def test_after_a_wrong_password_only_the_password_is_asked_again(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev"], world.env)
    t.expect("Username for acme: "); t.send("alice")
    t.expect("Password for alice"); t.send("not the password")
    t.expect("login refused: Invalid username or password."); t.expect("try again")
    seen = t.expect("Password for alice").decode(errors="replace")
    assert "Username" not in seen, seen
    t.send(PASSWORD)
    assert t.wait() == 0, t.output.decode(errors="replace")
    assert keycloak.get("/_sim/stats")["password_posts"] == 2
    # A password given on stdin is not asked again: one refusal, one line.
    world.ok("session", "stop", "dev", "--forget")
    r = start(world, password="wrong")
    assert r.returncode == 69 and r.stderr.count("\n") == 1, r.stderr
