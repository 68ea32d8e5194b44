"""Tab completion in the real shells: ArgumentParser's generated scripts, with leapp's own
completions of aliases, profiles, IdP URL names, regions and shells from the configuration."""
import os
import pty
import select
import time

import pytest

SETUP = {
    "bash": (["bash", "--norc", "--noprofile", "-i"], 'source <(leapp --generate-completion-script bash)'),
    "zsh": (["zsh", "-f", "-i"], 'bindkey -e; autoload -U compinit && compinit -u && source <(leapp --generate-completion-script zsh)'),
    "fish": (["fish", "--no-config", "-i"], 'leapp --generate-completion-script fish | source'),
}


class Tab:
    """An interactive shell with line editing in a pseudo-terminal; `complete` types a
    partial line, presses TAB twice and returns what the shell drew."""

    def __init__(self, kind, env):
        argv, setup = SETUP[kind]
        env = dict(env, TERM="xterm")  # a person's terminal, whatever CI runs under
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(env["HOME"])
            os.execvpe(argv[0], argv, env)
        self._read(1.0)
        os.write(self.fd, (setup + "\n").encode())
        self._read(1.5)

    def _read(self, seconds, until=None, out=b""):
        end = time.time() + seconds
        while time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    out += os.read(self.fd, 65536)
                except OSError:
                    break
                if until and all(u.encode() in out for u in until):
                    break
        return out

    def complete(self, partial, expect):
        os.write(self.fd, partial.encode() + b"\t")
        seen = self._read(0.5)
        os.write(self.fd, b"\t")
        seen = self._read(10.0, until=expect, out=seen)
        os.write(self.fd, b"\x05\x15")  # end of line, then erase it
        self._read(0.3)
        return seen.decode(errors="replace")

    def close(self):
        try:
            os.write(self.fd, b"exit\n")
        except OSError:
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)


@pytest.fixture
def configured(world):
    world.ok("idp-url", "create", "--url", "https://idp.example.com/saml", "--provider", "okta", "--name", "corp-okta")
    for alias, profile in [("web-prod", "prod"), ("web-stage", "stage"), ("api", "default")]:
        world.ok("session", "add", "--alias", alias, "--profile", profile, "--region", "us-east-1",
                 "--idp-url", "corp-okta", "--idp-arn", "arn:aws:iam::123456789012:saml-provider/corp",
                 "--role-arn", f"arn:aws:iam::123456789012:role/{alias}")
    return world


@pytest.mark.parametrize("kind", ["bash", "zsh", "fish"])
def test_tab_completes_names_from_the_configuration(configured, kind):
    t = Tab(kind, configured.env)
    try:
        seen = t.complete("leapp session start web-", ["web-prod", "web-stage"])
        assert "web-prod" in seen and "web-stage" in seen, seen
        assert "api" not in seen, seen

        seen = t.complete("leapp session edit api --profile st", ["stage"])
        assert "stage" in seen, seen

        seen = t.complete("leapp session change-region api eu-west-", ["eu-west-1", "eu-west-2", "eu-west-3"])
        assert all(r in seen for r in ["eu-west-1", "eu-west-2", "eu-west-3"]), seen

        seen = t.complete("leapp idp-url edit corp", ["corp-okta"])
        assert "corp-okta" in seen, seen
    finally:
        t.close()


def test_completion_without_a_configuration_offers_nothing_and_does_not_fail(world):
    r = world.run([world.env["LEAPP_BIN"], "---completion", "session", "start", "--", "positional@0", "3", "0", "leapp", "session", "start", ""])
    assert r.returncode == 0 and r.stdout.strip() == "", (r.returncode, r.stdout, r.stderr)


@pytest.mark.parametrize("kind", ["bash", "zsh", "fish"])
def test_tab_completes_list_column_names(configured, kind):
    t = Tab(kind, configured.env)
    try:
        seen = t.complete("leapp session list --columns alias,reg", ["region"])
        assert "alias,region" in seen or "region" in seen, seen
        seen = t.complete("leapp session list --sort seconds", ["secondsLeft"])
        assert "secondsLeft" in seen, seen
    finally:
        t.close()


@pytest.mark.parametrize("kind", ["zsh", "fish"])
def test_aliases_complete_with_their_state_and_time_left(configured, kind):
    """zsh and fish show each alias's state (and time left) beside it; bash, which has no
    descriptions, gets the names alone."""
    from test_shell import plant_credentials
    plant_credentials(configured, "web-prod", "ASIAPROD", "s", "t", expires_in=7030)
    t = Tab(kind, configured.env)
    try:
        seen = t.complete("leapp session start web-", ["web-prod", "web-stage", "stopped"])
        assert "cached, 1h57m left" in seen and "stopped" in seen, seen
    finally:
        t.close()
