"""What a person at a terminal meets: prompts for missing fields, a password without echo,
an MFA menu. Run in a real pseudo-terminal."""
import json
import os
import pty
import select
import time

import pytest

import saml
from conftest import IDP, PASSWORD, ROLE, add_keycloak_session, keycloak_config


class Terminal:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        self.output = b""

    def expect(self, text, timeout=20):
        deadline = time.time() + timeout
        while text.encode() not in self.output:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    break
            if time.time() > deadline:
                raise TimeoutError(f"never saw {text!r}; got:\n{self.output.decode(errors='replace')}")
        # Consume up to and including the match, so later expects look forward.
        at = self.output.index(text.encode()) + len(text)
        seen, self.output = self.output[:at], self.output[at:]
        return seen

    def send(self, line):
        os.write(self.fd, (line + "\r").encode())

    def wait(self, timeout=60):
        """The exit status; a process still running after `timeout` s is killed and fails the test."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                self.output += data
            else:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    return os.waitstatus_to_exitcode(status)
        else:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
            raise TimeoutError(f"still running after {timeout} s; output:\n{self.output.decode(errors='replace')}")
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def test_session_add_asks_for_missing_fields(world, keycloak):
    t = Terminal([world.env["LEAPP_BIN"], "session", "add"], world.env)
    t.expect("Alias: "); t.send("dev")
    # The offered profile is the alias, never `default` (where long-term keys usually live).
    t.expect("Named profile [dev]: "); t.send("")
    t.expect("SAML 2.0 URL (or IdP URL name): "); t.send(keycloak.saml_url)
    t.expect("logs in)? [Y/n] "); t.send("n")  # the ARNs typed instead
    t.expect("IdP ARN: "); t.send(IDP)
    t.expect("Role ARN: "); t.send(ROLE)
    t.expect("Region [us-east-1]: "); t.send("eu-west-1")
    # A Keycloak realm path names its provider: no menu to answer.
    t.expect("provider keycloak (from the URL")
    assert t.wait() == 0
    [s] = json.loads(world.ok("session", "list", "--format", "json").stdout)
    assert (s["alias"], s["profile"], s["region"], s["provider"], s["roleArn"]) == ("dev", "dev", "eu-west-1", "keycloak", ROLE)


def test_start_prompts_password_without_echo_and_mfa_menu(world, keycloak, sts):
    keycloak.configure(keycloak_config(users={"alice": {"password": PASSWORD, "otp": [
        {"id": "c0", "label": "phone", "secret": "s0"}, {"id": "c1", "label": "tablet", "secret": "s1"}]}}))
    add_keycloak_session(world, keycloak, sts)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev"], world.env)
    t.expect("Username for acme: "); t.send("alice")
    t.expect("Password for alice at acme: "); t.send(PASSWORD)
    menu = t.expect("Number or text to filter [1-2]: ")
    assert PASSWORD.encode() not in menu, "the password was echoed"
    assert b"1) phone" in menu and b"2) tablet" in menu
    t.send("2")
    t.expect("One-time code: "); t.send(saml.totp(b"s1"))
    t.expect("started as")
    assert t.wait() == 0


def test_ctrl_c_at_the_password_prompt_gives_the_terminal_its_echo_back(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    # A parent that ignores SIGINT itself (as a shell does) and reports the terminal's echo flag
    # after leapp is gone.
    child = (
        "import signal, subprocess, sys, termios\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "rc = subprocess.call(sys.argv[1:], preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))\n"
        "on = termios.tcgetattr(0)[3] & termios.ECHO\n"
        "print('ECHO-ON' if on else 'ECHO-OFF', rc)\n"
    )
    t = Terminal(["python3", "-c", child, world.env["LEAPP_BIN"], "session", "start", "dev"], world.env)
    t.expect("Username for acme: "); t.send("alice")
    t.expect("Password for alice at acme: ")
    os.write(t.fd, b"\x03")
    assert t.wait() == 0
    assert b"ECHO-ON -2" in t.output, t.output


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "dash"])
def test_password_stays_hidden_across_ctrl_z_and_fg(world, keycloak, sts, shell):
    """In a real shell with job control: Ctrl-Z at the password prompt gives the shell its echo,
    `fg` makes the prompt quiet again, and the password typed then is not shown."""
    from shells import PtyShell
    add_keycloak_session(world, keycloak, sts)
    sh = PtyShell(shell, world.env, str(world.home), hook=False)
    try:
        t = Terminal.__new__(Terminal)
        t.pid, t.fd, t.output = sh.pid, sh.fd, b""
        sh.type('$LEAPP_BIN session start dev --username alice')
        t.expect("Password for alice at acme: ")
        os.write(sh.fd, b"\x1a")  # Ctrl-Z
        t.expect({"bash": "Stopped", "zsh": "suspended", "fish": "has stopped", "dash": "Stopped"}[shell])
        # The shell's next prompt first: typed earlier, the echo and the prompt may interleave.
        t.expect({"bash": "$ ", "zsh": "# " if os.geteuid() == 0 else "% ", "fish": "> ", "dash": "$ "}[shell])
        os.write(sh.fd, b"echo typed-at-the-shell\n")
        t.expect("echo typed-at-the-shell")  # what is typed at the shell shows again
        t.expect("typed-at-the-shell\r\n")
        os.write(sh.fd, b"fg\n")
        t.expect("session start dev")  # bash names the job it continues
        time.sleep(0.3)  # let leapp turn echo off again before typing (a person is slower still)
        after_fg = len(t.output)
        os.write(sh.fd, (PASSWORD + "\n").encode())
        t.expect("session dev started")
        assert PASSWORD.encode() not in t.output[after_fg:], "the password was echoed after fg"
    finally:
        sh.close()
