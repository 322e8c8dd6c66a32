#!/usr/bin/python3
"""A v1 resource client for AntPool for Java's tests.

Written from shared/protocol-v1-legacy.md, as the original antpoolclient behaves on the wire: it registers with
REG, answers the server's PING with PONG, runs the Python source of each RUN with exec in its own globals
(reset before the run for type 0, after it for type 1, never for type 2), and answers ROK with the value of
r1t_va1 (errcode 0) or the text of the exception (errcode 1), pickled and base64-encoded as the Python repr of
bytes (b'...').

Prints one line per event on standard output, for the test to follow:
  registered RID | ping | running CALLID | ran CALLID ERRCODE
Usage: v1_resource_client.py ws://HOST:PORT [--cpu SCORE] [--remove-after N]
"""
import argparse
import base64
import json
import pickle
import platform
import sys
import time

from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

MAX_MESSAGE = 10 * 1024 * 1024  # what the original's WebSocket library accepts


def encode(value):
    return str(base64.b64encode(pickle.dumps(value)))


def say(line):
    print(line, flush=True)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--cpu", type=int, default=1000)
    parser.add_argument("--remove-after", type=int, default=0,
                        help="send REMOVE and close after this many runs (0: never)")
    args = parser.parse_args()
    ws = await websocket_connect(args.url.rstrip("/") + "/ws", max_message_size=MAX_MESSAGE)
    await ws.write_message(json.dumps({"c": "REG", "r": "1", "s": 1, "v": {"info": {
        "sys": platform.platform(), "tmem": "16000", "fmem": 8000, "cpu": args.cpu}}}))
    rid = None
    runs = 0
    env = {}
    while True:
        text = await ws.read_message()
        if text is None:
            say("closed")
            return
        if text == "PING":
            say("ping")
            await ws.write_message("PONG")
            continue
        message = json.loads(text)
        command, body = message["C"], message["v"]
        if command == "REG":
            rid = body["rID"]
            say("registered %s" % rid)
        elif command == "RUN":
            rtype = body["type"]
            say("running %s" % body["callID"])
            if rtype == 0:
                env = {}
            started = time.time()
            try:
                exec(body["code"], env)
                errcode, ret = 0, encode(env.get("r1t_va1"))
            except Exception as e:  # the task's own failure: reported, not fatal
                errcode, ret = 1, encode(str(e))
            if rtype == 1:
                env = {}
            await ws.write_message(json.dumps({"c": "ROK", "r": "1", "s": str(rid), "v": {
                "callID": body["callID"], "errcode": errcode, "ret": ret, "stime": time.time() - started,
                "btime": body["btime"], "rlen": body["rlen"]}}))
            runs += 1
            say("ran %s %s" % (body["callID"], errcode))
            if args.remove_after and runs >= args.remove_after:
                await ws.write_message(json.dumps({"c": "REMOVE", "r": "1", "s": str(rid), "v": {}}))
                ws.close()
                say("removed")
                return
        elif command == "ROK":
            pass  # the server's acknowledgement
        else:
            say("unexpected %s" % text[:200])


if __name__ == "__main__":
    try:
        IOLoop.current().run_sync(main)
    except KeyboardInterrupt:
        sys.exit(0)
