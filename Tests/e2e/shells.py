"""Real interactive shells in a pseudo-terminal, for testing the hooks as a person meets them."""
import os
import pty
import select
import signal
import time
import uuid

SHELLS = {
    "bash": {"argv": ["bash", "--norc", "--noprofile", "-i"], "hook": 'eval "$("$LEAPP_BIN" hook bash)"',
             "prompt": "PS1='$ '"},
    "zsh": {"argv": ["zsh", "-f", "-i"], "hook": 'eval "$("$LEAPP_BIN" hook zsh)"', "prompt": "PS1='%# '; unsetopt zle"},
    # dash: a POSIX sh with job control that, unlike the others, keeps no tty modes per job.
    "dash": {"argv": ["dash", "-i"], "hook": "true", "prompt": "PS1='$ '"},
    "fish": {"argv": ["fish", "--no-config", "-i"], "hook": '$LEAPP_BIN hook fish | source',
             "prompt": "function fish_prompt; echo -n '> '; end; function fish_greeting; end"},
}


class PtyShell:
    def __init__(self, kind, env, cwd, hook=True):
        self.kind = kind
        self.spec = SHELLS[kind]
        self.dir = os.path.join(env["HOME"], ".shell-" + uuid.uuid4().hex[:8])
        os.makedirs(self.dir)
        self.output = b""
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(cwd)
            os.execvpe(self.spec["argv"][0], self.spec["argv"], env)
        self.pid, self.fd = pid, fd
        self.n = 0
        self.send(self.spec["prompt"])
        if hook:
            self.send(self.spec["hook"])

    def _drain(self, timeout=0.0):
        while True:
            r, _, _ = select.select([self.fd], [], [], timeout)
            if not r:
                return
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self.output += data
            timeout = 0.0

    def type(self, line):
        """Types a line without waiting (the next send or value waits for it)."""
        os.write(self.fd, (line + "\n").encode())

    def send(self, line, timeout=20):
        """Types a line, then waits until the shell has run it and shown the next prompt
        (a builtin writes a sentinel file from the following command line)."""
        self.n += 1
        sentinel = os.path.join(self.dir, f"done-{self.n}")
        os.write(self.fd, (line + "\n").encode())
        os.write(self.fd, f"echo > {sentinel}\n".encode())
        deadline = time.time() + timeout
        retype = time.time() + 4
        while not os.path.exists(sentinel):
            self._drain(0.02)
            if time.time() > retype:
                # Typeahead can be lost while a shell switches its line editor (zsh's
                # `unsetopt zle` on a busy machine): the sentinel is typed again, harmlessly.
                os.write(self.fd, f"echo > {sentinel}\n".encode())
                retype = time.time() + 4
            if time.time() > deadline:
                raise TimeoutError(f"{self.kind} did not finish {line!r}; output:\n{self.output.decode(errors='replace')[-2000:]}")
        self._drain(0.05)

    def env(self):
        """The exported environment, as the shell has it now."""
        path = os.path.join(self.dir, f"env-{self.n}")
        self.send(f"env -0 > {path}")
        with open(path, "rb") as f:
            items = f.read().split(b"\0")
        return dict(i.decode(errors="surrogateescape").split("=", 1) for i in items if b"=" in i)

    def value(self, expression):
        """The text of a shell expression, written by the printf builtin."""
        path = os.path.join(self.dir, f"value-{self.n}")
        self.send(f"printf '%s' {expression} > {path}")
        with open(path, "rb") as f:
            return f.read().decode(errors="surrogateescape")

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)
