"""Times a command the way hyperfine does, but splits CPU time into the process's own and
that of the children it waited for (a browser), read from /proc/PID/stat while the process
is a zombie (waitid with WNOWAIT), before it is reaped.

  own_cpu.py OUT.json NAME RUNS [--before SHELL-COMMAND] -- CMD ARGS...

--before runs (untimed) ahead of every run."""
import json
import os
import statistics
import subprocess
import sys
import time

out, name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cmd = sys.argv[sys.argv.index("--") + 1:]
before = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv[:sys.argv.index("--")] else None
stdin_text = os.environ.get("BENCH_STDIN", "").encode()
tick = os.sysconf("SC_CLK_TCK")
walls, own, children = [], [], []
for _ in range(runs):
    if before:
        subprocess.run(before, shell=True, check=True)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    p.stdin.write(stdin_text)
    p.stdin.close()
    os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
    walls.append(time.monotonic() - t0)
    fields = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(fields[i]) for i in (11, 12, 13, 14))
    own.append((utime + stime) / tick)
    children.append((cutime + cstime) / tick)
    if p.wait() != 0:
        sys.exit(f"{name}: exit {p.returncode}")
results = {"command": name, "mean": statistics.mean(walls), "median": statistics.median(walls),
           "own_cpu": statistics.mean(own), "children_cpu": statistics.mean(children)}
try:
    data = json.load(open(out))
except OSError:
    data = {"results": []}
data["results"].append(results)
json.dump(data, open(out, "w"))
