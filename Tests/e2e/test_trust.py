"""Trust of `.leapp-session`: what the hook may activate, and what it may print, in the real shells."""
import os

import pytest

from shells import PtyShell
from test_shell import offline_session, plant_credentials, projects, write_marker  # noqa: F401 (fixture)

SHELLS = ["bash", "zsh", "fish"]


def hook_env(world, marker, timeout=15):
    return world.leapp("hook-env", "--shell", "bash", "--marker", str(marker), timeout=timeout)


@pytest.mark.parametrize("shell", SHELLS)
def test_a_symlinked_marker_carries_no_trust(world, projects, shell):
    world.ok("allow", str(projects / "ops"))  # prod is allowed where it lives
    evil = projects / "evil"
    evil.mkdir()
    (evil / ".leapp-session").symlink_to("../ops/.leapp-session")
    r = world.leapp("allow", str(evil))
    assert r.returncode != 0 and "symbolic link" in r.stderr, r.stderr
    sh = PtyShell(shell, world.env, str(projects / "plain"))
    try:
        sh.send(f"cd {evil}")
        assert "LEAPP_SESSION" not in sh.env()
        assert b"symbolic link" in sh.output
    finally:
        sh.close()


def test_replacing_an_allowed_marker_by_a_symlink_revokes_it(world, projects):
    world.ok("allow", str(projects / "app"))
    assert "export LEAPP_SESSION=dev" in hook_env(world, projects / "app" / ".leapp-session").stdout
    marker = projects / "app" / ".leapp-session"
    real = projects / "elsewhere-dev-marker"
    real.write_text("dev\n")
    marker.unlink()
    marker.symlink_to(real)
    r = hook_env(world, marker)
    assert r.stdout == "" and "symbolic link" in r.stderr, r.stderr


@pytest.mark.parametrize("target", ["/proc/self/pagemap", "fifo", "sparse", "directory"])
def test_a_hostile_checkout_cannot_hang_or_crash_the_hook(world, projects, target):
    d = projects / "hostile"
    d.mkdir()
    marker = d / ".leapp-session"
    if target == "fifo":
        os.mkfifo(marker)
    elif target == "sparse":
        with open(marker, "wb") as f:
            f.truncate(4 << 30)  # 4 GiB of holes
    elif target == "directory":
        marker.mkdir()
    else:
        marker.symlink_to(target)
    for args in (["hook-env", "--shell", "bash", "--marker", str(marker)], ["allow", str(marker)]):
        r = world.leapp(*args, timeout=15)
        assert r.stdout == "" and r.stderr.count("\n") == 1 and r.stderr.startswith("leapp: "), r.stderr
        assert "Fatal error" not in r.stderr and "Stack" not in r.stderr
    assert not (world.root / "data" / "leapp" / "allowed.json").exists() or str(marker) not in (world.root / "data" / "leapp" / "allowed.json").read_text()


def test_content_of_an_unallowed_marker_is_never_shown(world, projects):
    secret = world.root / "netrc"
    secret.write_text("machine-password-hunter2\n")
    linked = projects / "linked"
    linked.mkdir()
    (linked / ".leapp-session").symlink_to(secret)
    plain = projects / "plain-secret"
    write_marker(str(plain), "hunter2-lookalike-alias")
    for marker in (linked / ".leapp-session", plain / ".leapp-session"):
        r = hook_env(world, marker)
        assert "hunter2" not in r.stderr and "hunter2" not in r.stdout, r.stderr
    r = world.leapp("allow", str(linked))
    assert "hunter2" not in r.stderr
    # Once allowed, the alias is named.
    assert "hunter2-lookalike-alias" in world.leapp("allow", str(plain)).stderr


def test_paths_reach_the_terminal_filtered(world, projects):
    d = projects / "x\x1b]0;pwned\x07\nleapp: activated prod"
    write_marker(str(d), "dev")
    for r in (hook_env(world, d / ".leapp-session"), world.leapp("allow", str(d)), world.leapp("deny", str(d))):
        assert "\x1b" not in r.stderr and "\x07" not in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1, r.stderr
    world.ok("allow", str(d))
    r = hook_env(world, d / ".leapp-session")
    assert "export LEAPP_SESSION=dev" in r.stdout and r.stderr.count("\n") == 1, r.stderr


def test_fish_walks_up_from_a_directory_whose_name_holds_a_newline(world, projects):
    world.ok("allow", str(projects / "app"))
    odd = projects / "app" / "line\nbreak" / "below"
    odd.mkdir(parents=True)
    sh = PtyShell("fish", world.env, str(projects / "plain"))
    try:
        sh.send(f"cd {projects}/app/line\\nbreak/below", timeout=15)
        assert sh.env().get("LEAPP_SESSION") == "dev"
    finally:
        sh.close()


@pytest.mark.parametrize("shell", SHELLS)
def test_leaving_restores_the_export_attribute(world, projects, shell):
    world.ok("allow", str(projects / "app"))
    sh = PtyShell(shell, world.env, str(projects / "plain"))
    try:
        sh.send("set -g AWS_REGION home-region; set -gx AWS_PROFILE mine" if shell == "fish"
                else "AWS_REGION=home-region; export AWS_PROFILE=mine")
        sh.send(f"cd {projects / 'app'}")
        assert sh.env().get("AWS_REGION") == "eu-west-1"
        sh.send(f"cd {projects / 'plain'}")
        e = sh.env()
        assert "AWS_REGION" not in e, "a plain shell variable must not come back exported"
        assert sh.value("$AWS_REGION") == "home-region"
        assert e.get("AWS_PROFILE") == "mine", "an exported one comes back exported"
    finally:
        sh.close()


@pytest.mark.parametrize("shell", SHELLS)
def test_allow_and_deny_take_effect_at_the_next_prompt(world, projects, shell):
    sh = PtyShell(shell, world.env, str(projects / "plain"))
    try:
        sh.send(f"cd {projects / 'app'}")
        assert "LEAPP_SESSION" not in sh.env()
        sh.send("leapp allow")  # no cd: the next prompt activates
        assert sh.env().get("LEAPP_SESSION") == "dev"
        sh.send("leapp deny")
        assert "LEAPP_SESSION" not in sh.env()
    finally:
        sh.close()
