#!/usr/bin/python3
"""A v1 task client for AntPool for Java's tests.

Written from shared/protocol-v1-legacy.md, as the original AntPoolExecutor behaves on the wire: it logs in with
LOGIN and waits for a positive cID, sends each task as JOB with the function's Python source followed by lines
that unpickle its arguments from base64 literals and call it into r1t_va1, keeps at most --max-workers tasks
outstanding, and decodes each JOB reply: ret 0 the pickled value, ret 1 the pickled exception text (as a result,
not raised), ret >= 2 a plain string.

Runs one scenario and prints one JSON line per task result, in task order:
  {"task": N, "ret": RET, "value": VALUE}
then "done". Usage: v1_task_client.py ws://HOST:PORT SCENARIO [--max-workers N] [--count N]
Scenarios: squares (x*x for x in 1..count), raise (a task raising ValueError), globals RTYPES (one task per
rtype in the comma-separated list, e.g. 2,0,2, each counting its runs in a global of the resource client; run
with --max-workers 1 on one resource client to see which globals survive), sleep SECONDS (count tasks sleeping
that long, each returning its task number).
"""
import argparse
import base64
import inspect
import json
import pickle
import sys

from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

MAX_MESSAGE = 10 * 1024 * 1024


def square(x):
    return x * x


def fail(message):
    raise ValueError(message)


def count_runs():
    global runs
    try:
        runs += 1
    except NameError:
        runs = 1
    return runs


def sleep_then(n, seconds):
    import time
    time.sleep(seconds)
    return n


def job_code(fn, *args):
    """What the original executor sends: the function's source, its pickled arguments, the call."""
    return (inspect.getsource(fn)
            + "\nimport base64 as r1t_b64, pickle as r1t_pickle\n"
            + "r1t_arg = r1t_pickle.loads(r1t_b64.b64decode(%s))\n" % repr(str(base64.b64encode(pickle.dumps(args)))[2:-1])
            + "r1t_kwarg = r1t_pickle.loads(r1t_b64.b64decode(%s))\n" % repr(str(base64.b64encode(pickle.dumps({})))[2:-1])
            + "r1t_va1 = %s(*r1t_arg, **r1t_kwarg)\n" % fn.__name__)


def decode(ret, retval):
    if ret in (0, 1):
        # the Python repr of base64 bytes, b'...': strip b' and let the decoder drop the trailing quote
        return pickle.loads(base64.b64decode(retval[2:]))
    return retval


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("scenario")
    parser.add_argument("argument", nargs="?")
    parser.add_argument("--max-workers", type=int, default=4)
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()

    if args.scenario == "squares":
        jobs = [(0, job_code(square, x)) for x in range(1, args.count + 1)]
    elif args.scenario == "raise":
        jobs = [(0, job_code(fail, "bad input 42"))]
    elif args.scenario == "globals":
        jobs = [(int(rtype), job_code(count_runs)) for rtype in args.argument.split(",")]
    elif args.scenario == "sleep":
        jobs = [(0, job_code(sleep_then, n, float(args.argument))) for n in range(1, args.count + 1)]
    else:
        sys.exit("unknown scenario " + args.scenario)

    ws = await websocket_connect(args.url.rstrip("/") + "/ws", max_message_size=MAX_MESSAGE)
    await ws.write_message(json.dumps({"c": "LOGIN", "r": "1", "s": 1, "v": {"user": "user", "pwd": "pwd"}}))
    reply = json.loads(await ws.read_message())
    if reply["C"] != "LOGIN" or reply["v"]["cID"] <= 0:
        sys.exit("login refused: %s" % reply)
    print(json.dumps({"login": reply["v"]["cID"]}), flush=True)

    results = {}
    sent = 0
    while len(results) < len(jobs):
        while sent < len(jobs) and sent - len(results) < args.max_workers:
            rtype, code = jobs[sent]
            sent += 1
            await ws.write_message(json.dumps({"c": "JOB", "r": "1", "s": sent, "v": {"type": rtype, "code": code}}))
        text = await ws.read_message()
        if text is None:
            sys.exit("the server closed the connection with %d of %d results" % (len(results), len(jobs)))
        message = json.loads(text)
        if message["C"] != "JOB":
            print(json.dumps({"unexpected": message}), flush=True)
            continue
        body = message["v"]
        results[int(message["s"])] = (body["ret"], decode(body["ret"], body.get("retval")))
    for task in sorted(results):
        ret, value = results[task]
        print(json.dumps({"task": task, "ret": ret, "value": value}), flush=True)
    print("done", flush=True)
    ws.close()


if __name__ == "__main__":
    IOLoop.current().run_sync(main)
