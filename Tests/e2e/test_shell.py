"""Shell integration in real bash, zsh and fish: hooks, per-directory activation, the
trust model, the prompt, and escaping proven by round trips."""
import json
import re
import os
import random
import subprocess
import time

import pytest

from conftest import IDP, ROLE, add_keycloak_session, start
from shells import SHELLS, PtyShell

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_hook_prints_the_shell_file(world, shell):
    with open(os.path.join(ROOT, "shell", f"leapp.{shell}")) as f:
        assert world.ok("hook", shell).stdout == f.read()


def test_hook_unknown_shell(world):
    r = world.leapp("hook", "tcsh")
    assert r.returncode != 0 and "bash, zsh or fish" in r.stderr


def session_id(world, alias="dev"):
    return [s["id"] for s in json.loads(world.ok("session", "list", "--format", "json").stdout) if s["alias"] == alias][0]


def plant_credentials(world, alias, key, secret, token, expires_in=3600):
    """Puts credentials straight into the keyring, as a start would: whatever leapp reads
    there must come out of `leapp env` safely."""
    doc = {"accessKeyId": key, "secretAccessKey": secret, "sessionToken": token, "expiration": time.time() + expires_in}
    r = world.run(["secret-tool", "store", "--label", f"leapp credentials {alias}", "xdg:schema", "dev.leapp-swift.Secret",
                   "kind", "credentials", "key", session_id(world, alias)],
                  input=json.dumps(doc))
    assert r.returncode == 0, r.stderr
    # Written behind leapp's back: the kernel cache still holds what leapp itself last read or
    # wrote; `leapp lock` drops it (README: the credential cache).
    world.ok("lock")


def offline_session(world, alias="dev", region="eu-west-1"):
    world.ok("session", "add", "--alias", alias, "--profile", alias, "--region", region, "--idp-url",
             "https://idp.example.com/saml", "--provider", "keycloak", "--idp-arn", IDP, "--role-arn", ROLE)


NASTY = ["'", '"', "\\", "$", "`", "!", "%", "\n", "\t", "\r", "\x01", "\x1b", "\x7f", "é", "日本", "🔑", "-", " ",
         "$(touch /tmp/leapp-pwned)", "'\\''", "\\'", "%s", "!!", "${HOME}", "*", "?", "~", "#", ";", "&", "|", "<", ">", "{", "}"]


def random_value(rng):
    parts = [rng.choice(NASTY + ["a", "B", "9", "/", "+", "="]) for _ in range(rng.randint(1, 12))]
    value = "".join(parts)
    return value


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_escaping_round_trip_in_real_shell(world, shell):
    offline_session(world)
    rng = random.Random(f"leapp-{shell}")
    for round_ in range(12):
        values = [random_value(rng) for _ in range(3)]
        if round_ == 0:
            values = ["-leading-dash", "ends with backslash \\", "ends with quote '"]
        plant_credentials(world, "dev", *values)
        out = world.root / f"out-{shell}-{round_}"
        if shell == "fish":
            script = f'"$LEAPP_BIN" env dev --shell fish | source; printf "%s\\0" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" > {out}'
            argv = ["fish", "--no-config", "-c", script.replace('"$LEAPP_BIN"', "$LEAPP_BIN")]
        else:
            script = f'eval "$("$LEAPP_BIN" env dev --shell {shell})"; printf "%s\\0" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" > {out}'
            argv = [shell, "-c", script]
        r = world.run(argv)
        assert r.returncode == 0, (values, r.stderr)
        got = out.read_bytes().split(b"\0")[:3]
        assert got == [v.encode() for v in values], (shell, values)
        assert not os.path.exists("/tmp/leapp-pwned")


def test_dotenv_and_json_round_trip(world):
    offline_session(world)
    plant_credentials(world, "dev", 'a"b$c`d\\e\nf', "x", "y")
    doc = json.loads(world.ok("env", "dev", "--shell", "json").stdout)
    assert doc["AccessKeyId"] == 'a"b$c`d\\e\nf'


def write_marker(directory, alias):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, ".leapp-session"), "w") as f:
        f.write(alias + "\n")


@pytest.fixture
def projects(world):
    """Two project trees, each naming a session with cached credentials."""
    offline_session(world, "dev")
    offline_session(world, "prod", region="us-east-1")
    plant_credentials(world, "dev", "ASIADEV", "dev-secret", "dev-token")
    plant_credentials(world, "prod", "ASIAPROD", "prod-secret", "prod-token")
    base = world.root / "work"
    write_marker(str(base / "app"), "dev")
    write_marker(str(base / "ops"), "prod")
    os.makedirs(base / "app" / "src" / "deep")
    os.makedirs(base / "plain")
    return base


def counting_leapp(world):
    """A LEAPP_BIN that logs each run, to count how often the hook calls leapp."""
    log = world.root / "leapp-runs.log"
    wrapper = world.root / "leapp-counting"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {world.env["LEAPP_BIN"]} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper), log


def runs(log):
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_directory_activation_trust_and_restore(world, projects, shell):
    wrapper, log = counting_leapp(world)
    env = dict(world.env, LEAPP_BIN=wrapper, AWS_PROFILE="mine", AWS_REGION="ap-south-1")
    sh = PtyShell(shell, env, str(projects / "plain"))
    try:
        # Not allowed yet: nothing is exported, and one notice is shown.
        sh.send(f"cd {projects / 'app'}")
        e = sh.env()
        assert "AWS_ACCESS_KEY_ID" not in e and e["AWS_PROFILE"] == "mine"
        assert b"is not allowed" in sh.output
        sh.send(f"cd {projects / 'app' / 'src'}")
        sh.send("cd ..")
        assert sh.output.count(b"is not allowed") == 1, "one notice per directory, not per prompt"

        world.ok("allow", str(projects / "app"))
        sh.send(f"cd {projects / 'plain'}")
        sh.send(f"cd {projects / 'app' / 'src' / 'deep'}")
        e = sh.env()
        assert e["AWS_ACCESS_KEY_ID"] == "ASIADEV" and e["LEAPP_SESSION"] == "dev"
        assert e["AWS_REGION"] == "eu-west-1" and "AWS_PROFILE" not in e
        assert b"activated dev" in sh.output

        # Moving within the tree does not run leapp again.
        before = len(runs(log))
        sh.send(f"cd {projects / 'app'}")
        sh.send("cd src")
        assert len(runs(log)) == before

        # Switching trees needs its own allow; then it switches.
        world.ok("allow", str(projects / "ops" / ".leapp-session"))
        sh.send(f"cd {projects / 'ops'}")
        e = sh.env()
        assert e["AWS_ACCESS_KEY_ID"] == "ASIAPROD" and e["AWS_REGION"] == "us-east-1"

        # Leaving restores exactly what was there before.
        sh.send(f"cd {projects / 'plain'}")
        e = sh.env()
        assert e["AWS_PROFILE"] == "mine" and e["AWS_REGION"] == "ap-south-1"
        for v in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "LEAPP_SESSION", "AWS_DEFAULT_REGION"):
            assert v not in e, v

        # An edited file needs a new allow.
        write_marker(str(projects / "app"), "prod")
        sh.send(f"cd {projects / 'app'}")
        assert "AWS_ACCESS_KEY_ID" not in sh.env()
        world.ok("deny", str(projects / "ops"))
        sh.send(f"cd {projects / 'ops'}")
        assert "AWS_ACCESS_KEY_ID" not in sh.env()
    finally:
        sh.close()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_exit_status_preserved_and_install_idempotent(world, shell):
    sh = PtyShell(shell, world.env, str(world.home))
    try:
        sh.send(SHELLS[shell]["hook"])
        sh.send(SHELLS[shell]["hook"])
        if shell == "bash":
            assert sh.value('"$PROMPT_COMMAND"').count("__leapp_hook") == 1
        elif shell == "zsh":
            assert sh.value('"${(j: :)precmd_functions}"').split().count("__leapp_precmd") == 1
        else:
            assert sh.value("(functions --handlers-type generic | string match -r __leapp_on_prompt | count)") == "1"
        sh.type("false")  # the hook runs at the prompt after it; $? must survive it
        status = sh.value("$status" if shell == "fish" else "$?")
        assert status == "1"
    finally:
        sh.close()


def test_bash_array_prompt_command(world):
    sh = PtyShell("bash", world.env, str(world.home), hook=False)
    try:
        sh.send("PROMPT_COMMAND=(mine)")
        sh.send("mine() { :; }")
        sh.send(SHELLS["bash"]["hook"])
        sh.send(SHELLS["bash"]["hook"])
        assert sh.value('"${PROMPT_COMMAND[*]}"') == "__leapp_hook mine"
    finally:
        sh.close()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_plain_prompt_starts_no_process(world, projects, shell):
    world.ok("allow", str(projects / "app"))
    sh = PtyShell(shell, world.env, str(projects / "app" / "src"))
    try:
        sh.send("cd .")
        assert sh.env()["LEAPP_SESSION"] == "dev"
        trace = world.root / f"strace-{shell}"
        tracer = subprocess.Popen(["strace", "-f", "-e", "trace=process", "-o", str(trace), "-p", str(sh.pid)],
                                  stderr=subprocess.DEVNULL)
        wait_for(lambda: tracer_pid(sh.pid) != 0, "strace to attach")
        for _ in range(5):
            sh.send("")
        # Proof that the tracer sees what the shell starts: one external command.
        sh.send("/bin/true")
        tracer.terminate()
        tracer.wait(5)
        lines = trace.read_text().splitlines()
        execs = [l for l in lines if "execve(" in l]
        # Threads (fish keeps a pool) are not processes.
        forks = [l for l in lines if any(c in l for c in ("clone(", "clone3(", "fork(", "vfork(")) and "CLONE_THREAD" not in l]
        assert len(execs) == 1 and '"/bin/true"' in execs[0], execs
        assert 1 <= len(forks) <= 2, forks
    finally:
        sh.close()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_refresh_window_runs_leapp_once_then_rests(world, projects, shell):
    wrapper, log = counting_leapp(world)
    world.ok("allow", str(projects / "app"))
    # Credentials inside the refresh window; the IdP is unreachable, so refresh fails:
    # the hook keeps the working keys, says what to run, and does not retry every prompt.
    plant_credentials(world, "dev", "ASIAOLD", "old", "old", expires_in=200)
    env = dict(world.env, LEAPP_BIN=wrapper, LEAPP_HTTP_TIMEOUT_MS="2000")
    sh = PtyShell(shell, env, str(projects / "app"))
    try:
        sh.send("cd .")
        assert sh.env()["AWS_ACCESS_KEY_ID"] == "ASIAOLD"
        n = len(runs(log))
        for _ in range(3):
            sh.send("")
        assert len(runs(log)) == n, "no retry on every prompt"
        assert b"could not be refreshed" in sh.output and b"leapp session start dev" in sh.output
        # Fresh credentials appear in the keyring (as a start elsewhere would): the hook
        # picks them up when its timer comes due.
        plant_credentials(world, "dev", "ASIANEW", "new", "new", expires_in=3600)
        if shell == "fish":
            sh.send("set -g __leapp_due_up 1")
        else:
            sh.send("__leapp_due=1")
        sh.send("")
        assert sh.env()["AWS_ACCESS_KEY_ID"] == "ASIANEW"
        assert any("--refresh" in r for r in runs(log)[n:])
    finally:
        sh.close()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_prompt_info_is_filtered(world, shell):
    offline_session(world)
    plant_credentials(world, "dev", "A", "B", "C")
    sh = PtyShell(shell, world.env, str(world.home))
    try:
        sh.send('eval "$("$LEAPP_BIN" env dev)"' if shell != "fish" else "$LEAPP_BIN env dev --shell fish | source")
        info = sh.value("(leapp_prompt_info)" if shell == "fish" else "\"$(leapp_prompt_info)\"")
        left = info.split()[-1]
        assert info.startswith("dev eu-west-1 ") and (left == "1h" or (left.endswith("m") and 55 <= int(left[:-1]) <= 59)), info
        # Escape sequences in the environment never reach the prompt.
        if shell == "fish":
            sh.send("set -gx LEAPP_SESSION (printf 'evil\\e]0;pwned\\a%%x')")
        else:
            sh.send("export LEAPP_SESSION=$'evil\\e]0;pwned\\a%x'")
        info = sh.value("(leapp_prompt_info)" if shell == "fish" else "\"$(leapp_prompt_info)\"")
        assert "\x1b" not in info and "\x07" not in info
        assert info.startswith("evil]0;pwned")
        if shell == "zsh":
            assert "%%x" in info
        sh.send("unset LEAPP_SESSION" if shell != "fish" else "set -e LEAPP_SESSION")
        assert sh.value("(leapp_prompt_info)" if shell == "fish" else "\"$(leapp_prompt_info)\"") == ""
    finally:
        sh.close()


def test_marker_cannot_inject(world):
    offline_session(world)
    d = world.root / "evil"
    os.makedirs(d)
    (d / ".leapp-session").write_text("$(touch /tmp/leapp-pwned-marker)\n")
    r = world.leapp("allow", str(d))
    assert r.returncode != 0 and "does not name a session alias" in r.stderr
    sh = PtyShell("bash", world.env, str(world.home))
    try:
        sh.send(f"cd {d}")
        assert "LEAPP_SESSION" not in sh.env()
    finally:
        sh.close()
    assert not os.path.exists("/tmp/leapp-pwned-marker")


def test_allow_deny_messages(world):
    offline_session(world)
    d = world.root / "proj"
    write_marker(str(d), "dev")
    r = world.leapp("allow", str(d))
    assert r.returncode == 0 and "allowed" in r.stderr and "session dev" in r.stderr
    data = json.loads((world.root / "data" / "leapp" / "allowed.json").read_text())
    assert list(data["files"]) == [str(d / ".leapp-session")]
    r = world.leapp("deny", str(d))
    assert "denied" in r.stderr
    assert json.loads((world.root / "data" / "leapp" / "allowed.json").read_text())["files"] == {}
    r = world.leapp("allow", str(world.root / "nowhere"))
    assert r.returncode != 0


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_ctrl_c_during_activation_leaves_nothing_half_set(world, projects, shell):
    world.ok("allow", str(projects / "app"))
    slow = world.root / "leapp-slow"
    waiting = world.root / "leapp-waiting"
    finished = world.root / "leapp-finished"
    slow_switch = world.root / "be-slow"
    slow_switch.write_text("")
    # Slow only where the hook activates (the hook install runs it too), while the switch is on.
    slow.write_text(f'#!/bin/sh\ncase $1 in hook-env) if [ -e {slow_switch} ]; then : > {waiting}; sleep 10; : > {finished}; fi;; esac\n'
                    f'exec {world.env["LEAPP_BIN"]} "$@"\n')
    slow.chmod(0o755)
    env = dict(world.env, LEAPP_BIN=str(slow), AWS_PROFILE="mine")
    sh = PtyShell(shell, env, str(projects / "plain"))
    try:
        sh.type(f"cd {projects / 'app'}")
        wait_for(waiting.exists, "the hook to run leapp")
        os.write(sh.fd, b"\x03")  # Ctrl-C while the hook waits for leapp
        e = sh.env()
        assert not finished.exists(), "Ctrl-C cancels the activation instead of waiting for it"
        assert e.get("AWS_PROFILE") == "mine"
        for v in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "LEAPP_SESSION"):
            assert v not in e, v
        # The next time the tree is entered, the hook tries again.
        slow_switch.unlink()
        sh.send("cd ..")
        sh.send(f"cd {projects / 'app'}")
        assert sh.env().get("LEAPP_SESSION") == "dev"
    finally:
        sh.close()


def test_commands_without_keyring_need_no_dbus(bare_world):
    w = bare_world
    assert w.ok("hook", "bash").stdout.startswith("# leapp shell integration for bash")
    assert w.ok("--version").stdout.strip()
    d = w.root / "proj"
    write_marker(str(d), "dev")
    assert "allowed" in w.ok("allow", str(d)).stderr
    assert "denied" in w.ok("deny", str(d)).stderr
    offline_session(w)
    r = w.leapp("session", "list", env={"LEAPP_SECRET_STORE": "secret-service"})
    assert r.returncode == 0 and "dev" in r.stdout and "states unknown" in r.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_activation_in_a_directory_with_a_hostile_name(world, projects, shell):
    odd = world.root / "we ird $(touch /tmp/leapp-pwned-dir) 'q' \"d\" ; `x` \\ %s"
    write_marker(str(odd), "dev")
    world.ok("allow", str(odd))
    sh = PtyShell(shell, world.env, str(projects / "plain"))
    try:
        sh.send("cd " + {"fish": "'" + str(odd).replace("\\", "\\\\").replace("'", "\\'") + "'"}.get(shell, "'" + str(odd).replace("'", "'\\''") + "'"))
        e = sh.env()
        assert e.get("LEAPP_SESSION") == "dev", sh.output.decode(errors="replace")[-500:]
    finally:
        sh.close()
    assert not os.path.exists("/tmp/leapp-pwned-dir")


def wait_for(condition, what, timeout=20):
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def tracer_pid(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("TracerPid:"):
                return int(line.split()[1])
    return 0


@pytest.mark.parametrize("shell, strict", [("bash", "set -u"), ("zsh", "setopt nounset")])
def test_hook_works_for_users_of_nounset(world, projects, shell, strict):
    """Some people run their interactive shell with unset variables as errors; the hook
    must not trip over its own variables or PROMPT_COMMAND being unset."""
    world.ok("allow", str(projects / "app"))
    env = {k: v for k, v in world.env.items() if k != "PROMPT_COMMAND"}
    sh = PtyShell(shell, env, str(projects / "plain"), hook=False)
    try:
        sh.send(strict)
        sh.send(SHELLS[shell]["hook"])
        sh.send(f"cd {projects / 'app'}")
        e = sh.env()
        assert e["AWS_ACCESS_KEY_ID"] == "ASIADEV" and e["LEAPP_SESSION"] == "dev"
        assert sh.value('"$(leapp_prompt_info)"').startswith("dev eu-west-1 ")
        sh.send(f"cd {projects / 'plain'}")
        assert "AWS_ACCESS_KEY_ID" not in sh.env()
        out = sh.output.decode(errors="replace")
        assert "unbound variable" not in out and "parameter not set" not in out, out[-2000:]
    finally:
        sh.close()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_env_removes_stale_profile_and_legacy_token(world, shell):
    """botocore reads AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN, and a stale AWS_PROFILE can shadow
    the keys: after `leapp env` neither is left, in the real shell."""
    offline_session(world)
    plant_credentials(world, "dev", "ASIAFRESH", "fresh-secret", "fresh-token")
    stale = dict(world.env, AWS_SECURITY_TOKEN="stale-token", AWS_PROFILE="old", AWS_DEFAULT_PROFILE="older")
    probe = 'printf "%s|%s|%s|%s" "${AWS_SECURITY_TOKEN-unset}" "${AWS_PROFILE-unset}" "${AWS_DEFAULT_PROFILE-unset}" "$AWS_SESSION_TOKEN"'
    if shell == "fish":
        script = ('$LEAPP_BIN env dev --shell fish | source; for v in AWS_SECURITY_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE; '
                  'set -q $v; and printf "%s|" $$v; or printf "unset|"; end; printf "%s" $AWS_SESSION_TOKEN')
        r = world.run(["fish", "--no-config", "-c", script], env=stale)
    else:
        r = world.run([shell, "-c", f'eval "$("$LEAPP_BIN" env dev --shell {shell})"; {probe}'], env=stale)
    assert r.stdout == "unset|unset|unset|fresh-token", (r.stdout, r.stderr)


def test_hook_backs_off_when_a_refresh_needs_a_person(world, keycloak, sts):
    """The IdP wants the person again (no IdP session in the keyring): the hook keeps the
    still-valid keys, says what to run, and looks again in minutes, not at the next prompts."""
    from conftest import add_keycloak_session
    add_keycloak_session(world, keycloak, sts)
    plant_credentials(world, "dev", "ASIASTILLVALID", "s", "t", expires_in=200)  # inside the refresh window
    before = int(time.time())
    r = world.leapp("hook-env", "--shell", "bash", "--session", "dev")
    assert r.returncode == 0 and "export AWS_ACCESS_KEY_ID=ASIASTILLVALID" in r.stdout, r.stderr
    assert r.stderr.count("could not be refreshed") == 1 and "leapp session start dev" in r.stderr, r.stderr
    due = int(re.search(r"__leapp_due=(\d+)", r.stdout).group(1))
    assert due - before >= 150, f"the next try is due in {due - before} s"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_stop_in_the_shell_is_not_undone_by_the_next_prompt(world, keycloak, sts, shell):
    """Inside an allowed directory, `leapp session stop` restores the environment and the session
    stays stopped at the next prompts (no new login), until the directory is entered again or
    `leapp session start` runs."""
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0  # the IdP session is kept: a new login needs no person
    app = world.root / "app"
    write_marker(str(app), "dev")
    world.ok("allow", str(app))
    sh = PtyShell(shell, world.env, str(world.root))
    try:
        sh.send(f"cd {app}")
        assert sh.env().get("LEAPP_SESSION") == "dev"
        sh.send("leapp session stop")
        assert "dev stays stopped in this shell" in sh.output.decode(errors="replace")
        for _ in range(3):
            sh.send("true")
        e = sh.env()
        assert "LEAPP_SESSION" not in e and "AWS_ACCESS_KEY_ID" not in e, e
        assert json.loads(world.ok("session", "list", "--format", "json").stdout)[0]["state"] == "stopped"
        sh.send("cd ..")
        sh.send(f"cd {app}")
        assert sh.env().get("LEAPP_SESSION") == "dev", "entering again activates"
        sh.send("leapp session stop dev")
        assert "LEAPP_SESSION" not in sh.env()
        sh.send("leapp session start dev")
        sh.send("true")
        assert sh.env().get("LEAPP_SESSION") == "dev", "a start in the shell activates again"
    finally:
        sh.close()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_an_edited_marker_is_noticed_at_the_next_prompt(world, projects, shell):
    """Editing .leapp-session inside the tree (dev -> prod) is noticed at the next prompt, read
    with the shell's own read builtin: the changed content needs a new `leapp allow` (the
    environment is restored meanwhile), and then the named session activates."""
    world.ok("allow", str(projects / "app"))
    sh = PtyShell(shell, world.env, str(projects / "plain"))
    try:
        sh.send(f"cd {projects / 'app' / 'src'}")
        assert sh.env().get("LEAPP_SESSION") == "dev"
        write_marker(str(projects / "app"), "prod")
        sh.send("true")
        e = sh.env()
        assert "LEAPP_SESSION" not in e and "AWS_ACCESS_KEY_ID" not in e, e
        assert "is not allowed" in sh.output.decode(errors="replace")
        sh.send("leapp allow ..")
        sh.send("true")
        e = sh.env()
        assert e.get("LEAPP_SESSION") == "prod" and e.get("AWS_ACCESS_KEY_ID") == "ASIAPROD", e
    finally:
        sh.close()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_prompt_rounds_time_left_as_leapp_says_it(world, shell, tmp_path):
    """The prompt says time left the way `session start` and `session list` do (1h57m, not 117m)."""
    offline_session(world)
    plant_credentials(world, "dev", "ASIADEV", "s", "t", expires_in=7030)
    app = tmp_path / "app"
    write_marker(str(app), "dev")
    world.ok("allow", str(app))
    sh = PtyShell(shell, world.env, str(app))
    try:
        sh.send("cd .")
        prompt = sh.value('"$(leapp_prompt_info)"') if shell != "fish" else sh.value("(leapp_prompt_info)")
        listed = world.ok("session", "list", "--columns", "left", "--no-header").stdout.strip()
        assert prompt.split()[-1] == listed == "1h57m", (prompt, listed)
    finally:
        sh.close()
