"""Turns hyperfine's JSON exports into the benchmark table with ratios."""
import json
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])


def load(name):
    with open(os.path.join(out, name)) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def ms(r):
    return r["mean"] * 1000


rows = []
for shell in ("bash", "zsh", "fish"):
    r = load(f"hook-{shell}.json")
    empty = ms(r[f"{shell}: empty loop"]) / n
    leapp = max(ms(r[f"{shell}: leapp hook"]) / n - empty, 0.0)
    direnv = ms(r[f"{shell}: direnv hook"]) / (n // 100) - empty
    ratio = direnv / leapp if leapp > 0 else float("inf")
    rows.append((f"{shell} prompt, nothing changed", f"{leapp * 1000:.1f} us", f"direnv hook: {direnv:.2f} ms",
                 f"{ratio:,.0f}x cheaper"))

e = load("env.json")
leapp_env = ms(e["leapp env bench"])
no_cache = ms(e["leapp env bench, cache off"])
kernel = ms(e["leapp env kbench, kernel store"])
sealed = ms(e["leapp env fbench, file store"])
version = ms(e["leapp --version"])
floor = ms(e["secret-tool lookup (one keyring read)"])
awsume = ms(e["awsume static -s"])
rows.append(("leapp env (kernel cache)", f"{leapp_env:.1f} ms", f"secret-tool lookup: {floor:.1f} ms", f"{leapp_env / floor:.2f}x the floor"))
rows.append(("leapp env (kernel store)", f"{kernel:.1f} ms", f"leapp --version: {version:.1f} ms", f"{kernel / version:.2f}x"))
rows.append(("leapp env (file store, key unlocked)", f"{sealed:.1f} ms", f"leapp --version: {version:.1f} ms", f"{sealed / version:.2f}x"))
rows.append(("leapp env (Secret Service, cache off)", f"{no_cache:.1f} ms", f"secret-tool lookup: {floor:.1f} ms", f"{no_cache / floor:.2f}x the floor"))
rows.append(("leapp env (kernel cache)", f"{leapp_env:.1f} ms", f"awsume: {awsume:.0f} ms", f"{awsume / leapp_env:.0f}x faster"))

s = load("sessions.json")
one, many = ms(s["leapp env, 1 session"]), ms(s["leapp env, 1000 sessions"])
rows.append(("leapp env, 1000 sessions", f"{many:.1f} ms", f"1 session: {one:.1f} ms", f"{many / one:.2f}x"))

st = load("startup.json")
true_ms = ms(st["true"])
rows.append(("leapp --version", f"{ms(st['leapp --version']):.1f} ms", f"true: {true_ms:.1f} ms", ""))
rows.append(("leapp hook bash", f"{ms(st['leapp hook bash']):.1f} ms", "", ""))
rows.append(("leapp idp-url list (argument parser, config)", f"{ms(st['leapp idp-url list']):.1f} ms", "", ""))

f = load("flows.json")
start = f["leapp session start --force (Keycloak simulator + moto)"]
rows.append(("session start (simulator + moto)", f"{ms(start):.0f} ms wall", f"leapp CPU: {(start['user'] + start['system']) * 1000:.0f} ms", ""))
roles = f["leapp idp-url roles (500-role assertion, pasted)"]
rows.append(("500-role assertion parsed", f"{ms(roles):.1f} ms", "", ""))

b = load("browser.json")
head, brow = b["headless"], b["browser"]
rows.append(("session start --browser (headless Chromium, fresh login)", f"{brow['median'] * 1000:.0f} ms wall",
             f"headless: {head['median'] * 1000:.0f} ms wall", f"{brow['median'] / head['median']:.1f}x"))
rows.append(("  leapp's own CPU in it", f"{brow['own_cpu'] * 1000:.0f} ms",
             f"headless: {head['own_cpu'] * 1000:.0f} ms; Chromium: {brow['children_cpu'] * 1000:.0f} ms", ""))

print("| measure | leapp | compared with | ratio |")
print("|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
