"""Sessions and IdP URLs: the commands, every validation rule, and the stored file."""
import json
import os
import stat

import pytest

from conftest import IDP, ROLE

URL = "https://idp.example.com/realms/acme/protocol/saml/clients/amazon-aws"


def add(world, *extra, alias="dev", profile="dev", region="eu-west-1", idp=IDP, role=ROLE, url=URL):
    return world.leapp("session", "add", f"--alias={alias}", f"--profile={profile}", "--region", region,
                       "--idp-url", url, "--provider", "keycloak", "--idp-arn", idp, "--role-arn", role, *extra)


def sessions(world):
    return json.loads(world.ok("session", "list", "--format", "json").stdout)


def test_add_list_edit_delete(world):
    r = add(world)
    assert r.returncode == 0, r.stderr
    [s] = sessions(world)
    assert {k: s[k] for k in ("alias", "profile", "region", "samlUrl", "provider", "idpArn", "roleArn")} == {
        "alias": "dev", "profile": "dev", "region": "eu-west-1", "samlUrl": URL, "provider": "keycloak",
        "idpArn": IDP, "roleArn": ROLE}
    assert s["state"] == "stopped"
    # A second session reuses the IdP URL by name.
    world.ok("session", "add", "--alias", "prod", "--profile", "prod", "--region", "us-east-1",
             "--idp-url", "idp.example.com", "--idp-arn", IDP, "--role-arn", "arn:aws:iam::123456789012:role/Admin")
    idps = json.loads(world.ok("idp-url", "list", "--format", "json").stdout)
    assert len(idps) == 1 and idps[0]["sessions"] == 2
    world.ok("session", "edit", "prod", "--region", "eu-central-1", "--duration", "7200")
    prod = [s for s in sessions(world) if s["alias"] == "prod"][0]
    assert prod["region"] == "eu-central-1" and prod["duration"] == 7200
    world.ok("session", "delete", "prod")
    assert [s["alias"] for s in sessions(world)] == ["dev"]
    table = world.ok("session", "list").stdout
    assert "dev" in table and "eu-west-1" in table and "ALIAS" in table


def test_file_is_versioned_json_mode_0600(world):
    add(world)
    mode = stat.S_IMODE(os.stat(world.config_path).st_mode)
    assert mode == 0o600
    data = json.loads(world.config_path.read_text())
    assert data["version"] == 1 and data["sessions"][0]["alias"] == "dev"


@pytest.mark.parametrize("field,kwargs,message", [
    ("role", {"role": "arn:aws:iam::123456789012:user/Dev"}, "invalid role ARN"),
    ("role", {"role": "arn:aws:iam::12345:role/Dev"}, "12 digits"),
    ("role", {"role": "not-an-arn"}, "invalid role ARN"),
    ("role", {"role": "arn:aws:iam::123456789012:role/Bad Name"}, "invalid role ARN"),
    ("idp", {"idp": "arn:aws:iam::123456789012:role/Dev"}, "invalid IdP ARN"),
    ("account", {"idp": "arn:aws:iam::210987654321:saml-provider/acme"}, "different accounts"),
    ("partition", {"idp": "arn:aws-cn:iam::123456789012:saml-provider/acme"}, "different partitions"),
    ("region", {"region": "mars-north-1"}, "unknown region"),
    ("region-partition", {"region": "cn-north-1"}, "partition aws-cn"),
    ("url-http", {"url": "http://idp.example.com/saml"}, "https"),
    ("url-garbage", {"url": "ftp://idp.example.com"}, "SAML URL"),
    ("alias", {"alias": "dev;rm -rf ~"}, "alias"),
    ("alias-dash", {"alias": "-dev"}, "alias"),
    ("profile", {"profile": "dev]\n[evil"}, "profile"),
    ("profile-space", {"profile": "my profile"}, "profile"),
])
def test_validation_rejects_and_keeps_config(world, field, kwargs, message):
    add(world, alias="keep")
    before = world.config_path.read_bytes()
    r = add(world, **kwargs)
    assert r.returncode != 0
    assert message in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1, "one line"
    assert world.config_path.read_bytes() == before


@pytest.mark.parametrize("duration", ["899", "43201", "-1"])
def test_duration_bounds(world, duration):
    r = add(world, "--duration", duration)
    assert r.returncode != 0 and "900..43200" in r.stderr


def test_duration_edges_accepted(world):
    assert add(world, "--duration", "900").returncode == 0
    assert add(world, "--duration", "43200", alias="long").returncode == 0


def test_loopback_http_allowed(world):
    assert add(world, url="http://127.0.0.1:8080/saml").returncode == 0


def test_govcloud_and_china(world):
    assert add(world, alias="gov", region="us-gov-west-1", idp="arn:aws-us-gov:iam::123456789012:saml-provider/x",
               role="arn:aws-us-gov:iam::123456789012:role/Dev").returncode == 0
    assert add(world, alias="cn", region="cn-north-1", idp="arn:aws-cn:iam::123456789012:saml-provider/x",
               role="arn:aws-cn:iam::123456789012:role/Dev").returncode == 0


def test_duplicate_alias_refused(world):
    add(world)
    r = add(world, profile="other")
    assert r.returncode != 0 and "already used" in r.stderr


def test_missing_fields_without_terminal(world):
    r = world.leapp("session", "add", "--alias", "x", input="")
    assert r.returncode != 0 and "missing --idp-url" in r.stderr


def test_idp_url_delete_refused_while_used(world):
    add(world)
    r = world.leapp("idp-url", "delete", "idp.example.com")
    assert r.returncode != 0 and "used by 1 session" in r.stderr and "--force" in r.stderr
    assert len(sessions(world)) == 1
    world.ok("idp-url", "delete", "idp.example.com", "--force")
    assert sessions(world) == []
    assert json.loads(world.ok("idp-url", "list", "--format", "json").stdout) == []


def test_idp_url_create_edit(world):
    world.ok("idp-url", "create", "--url", URL, "--provider", "okta", "--name", "corp", "--username", "bob")
    r = world.leapp("idp-url", "create", "--url", URL, "--provider", "okta")
    assert r.returncode != 0 and "already exists" in r.stderr
    world.ok("idp-url", "edit", "corp", "--provider", "keycloak")
    [idp] = json.loads(world.ok("idp-url", "list", "--format", "json").stdout)
    assert idp["provider"] == "keycloak" and idp["username"] == "bob"
    assert world.leapp("idp-url", "create", "--url", URL, "--provider", "nope").returncode != 0


@pytest.mark.parametrize("content,why", [
    (b"{not json", "not valid JSON"),
    (b"", "empty"),
    (b'{"sessions": []}', "no version"),
    (b'{"version": 1, "sessions": 5}', "expected shape"),
])
def test_corrupt_config_is_reported_and_kept(world, content, why):
    world.config_path.parent.mkdir(parents=True, exist_ok=True)
    world.config_path.write_bytes(content)
    for args in (["session", "list"], ["session", "add", "--alias", "x", "--profile", "x", "--region", "eu-west-1",
                                       "--idp-url", URL, "--provider", "okta", "--idp-arn", IDP, "--role-arn", ROLE]):
        r = world.leapp(*args)
        assert r.returncode != 0
        assert why in r.stderr and "untouched" in r.stderr, r.stderr
        assert world.config_path.read_bytes() == content


def test_newer_version_refused(world):
    world.config_path.parent.mkdir(parents=True, exist_ok=True)
    world.config_path.write_text('{"version": 99, "idpUrls": [], "sessions": []}')
    r = world.leapp("session", "list")
    assert r.returncode != 0 and "upgrade leapp" in r.stderr


def test_concurrent_adds_lose_nothing(world):
    import subprocess
    procs = []
    for i in range(12):
        e = dict(world.env)
        procs.append(subprocess.Popen(
            [world.env["LEAPP_BIN"], "session", "add", "--alias", f"s{i}", "--profile", f"p{i}", "--region", "eu-west-1",
             "--idp-url", URL, "--provider", "keycloak", "--idp-arn", IDP, "--role-arn", ROLE],
            env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for p in procs:
        p.wait(30)
    assert sorted(s["alias"] for s in sessions(world)) == sorted(f"s{i}" for i in range(12))
    assert len(json.loads(world.ok("idp-url", "list", "--format", "json").stdout)) == 1


@pytest.mark.parametrize("argv, says, help", [
    (["sesion", "list"], "unknown command 'sesion' (did you mean `session`?)", "leapp --help"),
    (["session", "edit"], "missing expected argument '<session>'", "leapp session edit --help"),
    (["session", "add", "--duration", "soon"], "'soon' is invalid for '--duration", "leapp session add --help"),
    (["idp-url", "create", "--url", "https://x.example", "--provider", "ping"],
     "one of the following: okta, keycloak, onelogin, azure-ad, google, auth0, adfs, shibboleth, pingfederate, jumpcloud, generic", "leapp idp-url create --help"),
])
def test_usage_errors_are_one_line_naming_the_help(world, argv, says, help):
    r = world.leapp(*argv)
    assert r.returncode == 64
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("leapp: "), r.stderr
    assert says in r.stderr and f"see `{help}`" in r.stderr, r.stderr
    assert r.stdout == ""


def test_help_is_still_the_full_screen(world):
    r = world.ok("session", "start", "--help")
    assert "USAGE: leapp session start" in r.stdout and "<session>" in r.stdout and "--password-stdin" in r.stdout
    assert "--take-over" in r.stdout and "--quiet" in r.stdout and "--login-method" in r.stdout


def test_global_flags_go_anywhere_and_every_command_takes_them(world, keycloak, sts):
    from conftest import PASSWORD, add_keycloak_session
    add_keycloak_session(world, keycloak, sts)
    assert "dev" in world.ok("--verbose", "session", "list").stdout
    r = world.leapp("--no-interactive", "--verbose", "session", "start", "dev", "--username", "alice", "--password-stdin",
                    input=PASSWORD + "\n")
    assert r.returncode == 0 and "leapp: logging in at acme (keycloak)" in r.stderr, r.stderr
    d = world.root / "proj"
    d.mkdir()
    (d / ".leapp-session").write_text("dev\n")
    for args in (["hook", "bash", "--verbose"], ["--no-interactive", "allow", str(d)], ["deny", str(d), "--verbose"],
                 ["--verbose", "hook", "zsh"]):
        r = world.leapp(*args)
        assert r.returncode == 0, (args, r.stderr)
    # LEAPP_VERBOSE and --verbose also reach the fast path (env, credential-process).
    world.ok("session", "stop", "dev")
    for how in ({"LEAPP_VERBOSE": "1"}, None):
        args = ["env", "dev", "--shell", "bash"] if how else ["--verbose", "env", "dev", "--shell", "bash"]
        r = world.leapp(*args, env=how)
        assert r.returncode == 0 and "leapp: logging in at acme" in r.stderr, r.stderr
        world.ok("session", "stop", "dev")
    # After `--`, a flag belongs to the command leapp runs.
    r = world.leapp("exec", "dev", "--", "echo", "--verbose")
    assert r.returncode == 0 and r.stdout == "--verbose\n", r.stderr


def test_quiet_prints_errors_only(world, keycloak, sts):
    from conftest import IDP, PASSWORD, ROLE
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    r = world.leapp("-q", "idp-url", "create", "--name", "acme", "--provider", "keycloak", "--url", keycloak.saml_url)
    assert r.returncode == 0 and r.stdout == "" and r.stderr == "", (r.stdout, r.stderr)
    r = world.leapp("session", "add", "--quiet", "--alias", "dev", "--profile", "dev", "--region", "eu-west-1", "--idp-url", "acme",
                    "--idp-arn", IDP, "--role-arn", ROLE)
    assert r.returncode == 0 and r.stdout == "" and r.stderr == "", (r.stdout, r.stderr)
    r = world.leapp("--quiet", "session", "start", "dev", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert "dev" in world.ok("-q", "session", "list").stdout, "data output stays"
    r = world.leapp("-q", "session", "start", "nope")
    assert r.returncode == 64 and r.stderr.startswith("leapp: no session 'nope'"), "errors stay"
    r = world.leapp("session", "start", "dev")
    assert "leapp: session dev is active" in r.stderr, "without the flag the status line is there"


def test_durations_short_flags_version_and_completion(world):
    add(world, "--duration", "90m")
    assert sessions(world)[0]["duration"] == 5400
    world.ok("session", "edit", "dev", "--duration", "1h30m")
    assert sessions(world)[0]["duration"] == 5400
    r = world.leapp("session", "edit", "dev", "--duration", "13h")
    assert r.returncode == 64 and r.stderr.count("\n") == 1, r.stderr
    r = world.leapp("session", "edit", "dev", "--duration", "soon")
    assert r.returncode == 64 and "duration" in r.stderr, r.stderr
    assert world.ok("version").stdout == world.ok("--version").stdout
    assert world.ok("-v", "session", "list").returncode == 0
    for shell, check in (("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])):
        script = world.ok("completion", shell).stdout
        assert script == world.ok("--generate-completion-script", shell).stdout
        path = world.root / f"completion.{shell}"
        path.write_text(script)
        assert world.run(check + [str(path)]).returncode == 0, shell


def test_provider_is_guessed_from_well_known_hosts_and_names_any_case(world):
    for url, provider in (("https://acme.okta.com/home/amazon_aws/0oa1/272", "okta"),
                          ("https://acme.oktapreview.com/home/amazon_aws/0oa2/272", "okta"),
                          ("https://acme.onelogin.com/trust/saml2/launch/1", "onelogin"),
                          ("https://account.activedirectory.windowsazure.com/applications/redirecttofederatedapplication.aspx?x=1", "azure-ad"),
                          ("https://accounts.google.com/o/saml2/initsso?idpid=C1&spid=2", "google"),
                          ("https://acme.auth0.com/samlp/abc", "auth0")):
        r = world.leapp("idp-url", "create", "--url", url)
        assert r.returncode == 0 and f"provider {provider} (from the URL" in r.stderr, r.stderr
    rows = {i["url"]: i["provider"] for i in json.loads(world.ok("idp-url", "list", "--format", "json").stdout)}
    assert rows["https://acme.onelogin.com/trust/saml2/launch/1"] == "onelogin"
    world.ok("idp-url", "create", "--url", "https://sso.example.com/saml", "--provider", "Generic")
    r = world.leapp("idp-url", "create", "--url", "https://sso2.example.com/saml")
    assert r.returncode == 64 and "missing --provider" in r.stderr
    r = add(world, url="nosuchidp")
    assert r.returncode != 0 and "no IdP URL named 'nosuchidp'" in r.stderr and "--provider" not in r.stderr.split(";")[0], r.stderr


def test_exec_takes_the_command_without_a_separator(world):
    from test_shell import plant_credentials
    add(world)
    plant_credentials(world, "dev", "ASIAEXEC", "exec-secret", "exec-token")
    r = world.leapp("exec", "dev", "sh", "-c", 'printf "%s %s" "$AWS_ACCESS_KEY_ID" "$1"', "x", "-v")
    assert r.returncode == 0 and r.stdout == "ASIAEXEC -v", (r.stdout, r.stderr)
    r = world.leapp("-q", "exec", "dev", "--", "sh", "-c", "exit 7")
    assert r.returncode == 7
    # No command: $SHELL with the session's environment (here bash, reading its commands from stdin).
    r = world.leapp("exec", "dev", input='printf "%s" "$AWS_ACCESS_KEY_ID"\n')
    assert r.returncode == 0 and r.stdout == "ASIAEXEC" and "`exit` to leave it" in r.stderr, r.stderr


def test_logout_forgets_the_idp_session(world, keycloak, sts):
    from conftest import add_keycloak_session, start
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    idp_id = json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["id"]
    assert world.secret_lookup("idp-session", idp_id) is not None
    assert "logged out of acme" in world.ok("session", "logout", "dev").stdout
    assert world.secret_lookup("idp-session", idp_id) is None
    r = world.leapp("session", "start", "dev", "--force", "--no-interactive", input="")
    assert r.returncode == 75, "the next login asks the person again"
    assert start(world, "--force").returncode == 0
    assert "logged out of acme" in world.ok("idp-url", "logout", "acme").stdout
    assert "no IdP session kept for acme" in world.ok("idp-url", "logout", "acme").stdout
