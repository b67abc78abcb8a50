#!/usr/bin/env python3
"""Differential runs: the same script through h2wasm's `h2drive` and python h2's twin
(tests/diff/h2drive.py), compared event by event and frame by frame.

    python3 tests/diff/compare.py [--driver PATH] CASE.txt ...      # scripted cases
    python3 tests/diff/compare.py --random N [--seed S]             # generated scenarios

A case file starts with `# role: server|client`, optional `# config: key=value` lines, and
an optional `# expect-difference: reason` line for a documented deviation (the case must
then differ, and the difference is printed but not counted as a failure). The rest is the
driver script.

What is compared: every event (all fields), each error's type and code (not its message),
method results, and the frames sent. Header blocks are compared decoded (the two HPACK
encoders choose different representations), so HEADERS/PUSH_PROMISE lengths, flags and
CONTINUATION counts are not compared.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PY_DRIVER = os.path.join(HERE, "h2drive.py")


def default_driver():
    for profile in ("release", "debug"):
        p = os.path.join(ROOT, "target", profile, "examples", "h2drive")
        if os.path.exists(p):
            return p
    return None


def parse_case(text):
    role, config, expect = "server", [], None
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("# role:"):
            role = s.split(":", 1)[1].strip()
        elif s.startswith("# config:"):
            config.append(s.split(":", 1)[1].strip())
        elif s.startswith("# expect-difference:"):
            expect = s.split(":", 1)[1].strip()
        elif s and not s.startswith("#"):
            lines.append(s)
    return role, config, expect, lines


def run_driver(cmd, script):
    p = subprocess.run(cmd, input="\n".join(script) + "\n", capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}): {p.stderr[-2000:]}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


# python h2 lets some internal exceptions escape (a bare KeyError for an unknown stream in an
# empty send_data, increment_flow_control_window and friends); h2wasm raises the h2 error the
# situation calls for. That is a documented difference, accepted by `same`.
LOOKUP_ERRORS = {"NoSuchStreamError", "StreamClosedError"}


def normalise(obj):
    if "error" in obj:
        return {"error": obj["error"], "error_code": obj.get("error_code"), "python": obj.get("python")}
    if "send" in obj:
        frames = []
        for f in obj["frames"]:
            f = dict(f)
            if f.get("type") in ("HEADERS", "PUSH_PROMISE"):
                for k in ("length", "flags", "continuations"):
                    f.pop(k, None)
            frames.append(f)
        return {"frames": frames}
    return obj


def drop_events_before_errors(lines):
    """h2wasm returns the events of the frames processed before a failing one; python h2
    drops them (documented difference #4). For comparison, drop the events of any input whose
    output holds an error."""
    out, group = [], []
    for obj in lines:
        group.append(obj)
        if "send" in obj:
            if any("error" in o for o in group):
                group = [o for o in group if "event" not in o]
            out += group
            group = []
    if any("error" in o for o in group):
        group = [o for o in group if "event" not in o]
    return out + group


def same(ours, ref):
    if "error" in ours and "error" in ref:
        if ref.get("python") == "KeyError" and ours["error"] in LOOKUP_ERRORS:
            return True
        return (ours["error"], ours["error_code"]) == (ref["error"], ref["error_code"])
    return ours == ref


def compare(role, config, lines, driver):
    args = ["--role", role]
    for c in config:
        args += ["--config", c]
    ours = run_driver([driver] + args, lines)
    ref = run_driver([sys.executable, PY_DRIVER] + args, lines)
    a = [normalise(o) for o in drop_events_before_errors(ours)]
    b = [normalise(o) for o in ref]
    # After h2 corrupts its own HPACK state (a refused block half-encoded, documented
    # difference #7) its header blocks are garbage; compare only up to that point.
    desync = next((i for i, o in enumerate(b) if o.get("note") == "h2-encoder-desync"), None)
    if desync is not None:
        b = b[:desync]
        a = a[:desync]
    if len(a) == len(b) and all(same(x, y) for x, y in zip(a, b)):
        return None
    for i, (x, y) in enumerate(zip(a, b)):
        if not same(x, y):
            return f"first difference at output line {i + 1}:\n  h2wasm: {json.dumps(x, sort_keys=True)}\n  h2    : {json.dumps(y, sort_keys=True)}"
    return f"output lengths differ: h2wasm {len(a)} lines, h2 {len(b)} lines\n  h2wasm tail: {a[len(b):][:3]}\n  h2 tail    : {b[len(a):][:3]}"


# ---- generated scenarios -----------------------------------------------------------------

def gen_scenario(rng):
    """A random but mostly well-formed conversation, built with hyperframe/hpack."""
    from hpack import Encoder
    from hyperframe.frame import (DataFrame, GoAwayFrame, HeadersFrame, PingFrame, PriorityFrame,
                                  RstStreamFrame, SettingsFrame, WindowUpdateFrame)

    role = rng.choice(["server", "client"])
    enc = Encoder()
    lines = ['{"op":"initiate_connection"}']
    if role == "server":
        lines.append("recv " + (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + SettingsFrame(0).serialize()).hex())
    else:
        lines.append("recv " + SettingsFrame(0).serialize().hex())
    peer_ids = [1, 3, 5, 7, 9] if role == "server" else [2, 4, 6]
    own_ids = [2, 4, 6] if role == "server" else [1, 3, 5, 7]
    req = [(":method", "GET"), (":path", "/"), (":scheme", "https"), (":authority", "example.com")]
    resp = [(":status", "200")]
    for _ in range(rng.randint(3, 25)):
        sid = rng.choice(peer_ids + own_ids + [0, 11, 13])
        k = rng.randrange(18)
        if k == 0:
            flags = ["END_HEADERS"] + (["END_STREAM"] if rng.random() < 0.5 else [])
            hs = req if role == "server" else resp
            if rng.random() < 0.2:
                # A non-zero content-length with END_STREAM on HEADERS is a documented
                # difference (h2wasm checks it); keep generated cases away from it.
                cl = 0 if "END_STREAM" in flags else rng.randint(0, 5)
                hs = hs + [("content-length", str(cl))]
            if rng.random() < 0.1:
                hs = [("x-bad", "1")] + hs
            f = HeadersFrame(sid or 1, data=enc.encode(hs), flags=flags)
            lines.append("recv " + f.serialize().hex())
        elif k == 1:
            f = DataFrame(sid or 1, data=b"x" * rng.randint(0, 6),
                          flags=["END_STREAM"] if rng.random() < 0.4 else [])
            lines.append("recv " + f.serialize().hex())
        elif k == 2:
            lines.append("recv " + RstStreamFrame(sid or 1, error_code=rng.choice([0, 1, 8, 99])).serialize().hex())
        elif k == 3:
            lines.append("recv " + WindowUpdateFrame(sid, window_increment=rng.choice([1, 100, 2**31 - 1])).serialize().hex())
        elif k == 4:
            lines.append("recv " + PingFrame(0, opaque_data=b"12345678", flags=["ACK"] if rng.random() < 0.3 else []).serialize().hex())
        elif k == 5:
            s = SettingsFrame(0)
            for _ in range(rng.randint(0, 3)):
                s.settings[rng.choice([1, 2, 3, 4, 5, 6, 8, 0x42])] = rng.choice([0, 1, 100, 16384, 65535, 70000])
            lines.append("recv " + s.serialize().hex())
        elif k == 6:
            lines.append("recv " + PriorityFrame(sid or 1, depends_on=rng.choice([0, 1, 3]), stream_weight=rng.randint(0, 255)).serialize().hex())
        elif k == 7:
            hs = req if role == "client" else resp
            end = rng.random() < 0.5
            lines.append(json.dumps({"op": "send_headers", "stream_id": sid, "headers": hs, "end_stream": end}))
        elif k == 8:
            lines.append(json.dumps({"op": "send_data", "stream_id": sid, "data": "y" * rng.randint(0, 5),
                                     "end_stream": rng.random() < 0.4}))
        elif k == 9:
            lines.append(json.dumps({"op": "reset_stream", "stream_id": sid, "error_code": 8}))
        elif k == 10:
            lines.append(json.dumps({"op": "end_stream", "stream_id": sid}))
        elif k == 11:
            lines.append(json.dumps({"op": "acknowledge_received_data", "stream_id": sid or 1,
                                     "acknowledged_size": rng.randint(0, 40000)}))
        elif k == 12:
            lines.append(json.dumps({"op": "increment_flow_control_window", "increment": rng.randint(1, 1000),
                                     "stream_id": rng.choice([None, sid])}))
        elif k == 13:
            lines.append(json.dumps({"op": rng.choice(["open_inbound_streams", "open_outbound_streams",
                                                       "get_next_available_stream_id"])}))
        elif k == 14:
            lines.append(json.dumps({"op": "local_flow_control_window", "stream_id": sid}))
        elif k == 15:
            lines.append("recv " + GoAwayFrame(0, last_stream_id=rng.choice([0, 1, 3]), error_code=rng.choice([0, 2])).serialize().hex())
        elif k == 16:
            lines.append(json.dumps({"op": "ping", "opaque_data": "abcdefgh"}))
        else:
            lines.append(json.dumps({"op": "update_settings", "new_settings": {"4": rng.choice([0, 100, 65535])}}))
    return role, [], lines


def gen_rich(rng):
    """A longer, mostly valid random conversation that keeps track of streams, so that deep
    states are reached: CONTINUATION, padding, priority, trailers, 1xx, push, flow control,
    ALTSVC, unknown frames, GOAWAY and settings, with the commands that answer them, and a
    small chance of a malformed or out-of-order frame at each step. It stays away from the
    documented differences (docs/differences.md)."""
    from hpack import Encoder
    from hyperframe.frame import (AltSvcFrame, ContinuationFrame, DataFrame, ExtensionFrame, GoAwayFrame,
                                  HeadersFrame, PingFrame, PriorityFrame, PushPromiseFrame, RstStreamFrame,
                                  SettingsFrame, WindowUpdateFrame)

    role = rng.choice(["server", "client"])
    server = role == "server"
    config = []
    for key in ("validate_inbound_headers", "normalize_inbound_headers", "validate_outbound_headers",
                "normalize_outbound_headers"):
        if rng.random() < 0.08:
            config.append(f"{key}=false")
    if rng.random() < 0.1:
        config.append("split_outbound_cookies=true")
    enc = Encoder()
    lines = ['{"op":"initiate_connection"}']
    first = SettingsFrame(0)
    for _ in range(rng.randint(0, 2)):
        key = rng.choice([1, 3, 4, 5, 6, 0x42])
        first.settings[key] = rng.choice({5: [16384, 20000, 65536], 4: [0, 100, 65535, 100000]}.get(key, [1, 3, 100, 4096, 65535]))
    pre = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" if server else b""
    lines.append("recv " + (pre + first.serialize()).hex())
    if rng.random() < 0.8:
        lines.append("recv " + SettingsFrame(0, flags=["ACK"]).serialize().hex())
    req = [(":method", "GET"), (":path", "/x"), (":scheme", "https"), (":authority", "example.com")]
    extras = [("user-agent", "t"), ("cookie", "a=1"), ("cookie", "b=22222222222222222222"),
              ("authorization", "secret"), ("accept", "*/*"), ("x-long", "v" * 300)]
    bad = [("Upper", "x"), ("connection", "close"), ("te", "gzip"), ("x", " lead"), (":bogus", "1"), ("x", "a\nb")]
    next_peer = 1 if server else 2
    next_own = 2 if server else 1
    peer_streams, own_streams = [], []
    pushed = []

    def recv(*frames):
        lines.append("recv " + b"".join(f.serialize() for f in frames).hex())

    def headers_frames(sid, hs, end):
        data = enc.encode(hs)
        f = HeadersFrame(sid, flags=["END_STREAM"] if end else [])
        if rng.random() < 0.12 and len(data) > 1:
            f.flags.add("PADDED")
            f.pad_length = rng.randint(0, 10)
        if rng.random() < 0.12:
            f.flags.add("PRIORITY")
            f.depends_on = rng.choice([0, 1, 3])
            f.stream_weight = rng.randint(0, 255)
            f.exclusive = rng.random() < 0.5
        frames = [f]
        if rng.random() < 0.2 and len(data) > 2:
            cut = rng.randint(1, len(data) - 1)
            f.data, rest = data[:cut], data[cut:]
            while rest:
                n = rng.randint(1, len(rest))
                c = ContinuationFrame(sid, data=rest[:n])
                rest = rest[n:]
                if not rest:
                    c.flags.add("END_HEADERS")
                frames.append(c)
        else:
            f.flags.add("END_HEADERS")
            f.data = data
        return frames

    def any_stream():
        pool = peer_streams + own_streams + pushed
        if not pool:
            return 1
        return rng.choice(pool) if rng.random() < 0.98 else rng.choice([1, 2, 3, 5])

    # Open the first stream before anything else: frames on streams of an idle connection
    # end it at once, in both engines, and the rest of the script would test nothing.
    if server:
        recv(*headers_frames(1, list(req), rng.random() < 0.4))
        peer_streams.append(1)
        next_peer = 3
    else:
        lines.append(json.dumps({"op": "send_headers", "stream_id": 1, "headers": req, "end_stream": rng.random() < 0.5}))
        own_streams.append(1)
        next_own = 3

    for _ in range(rng.randint(10, 45)):
        k = rng.random()
        if k < 0.012:
            # something malformed or out of order
            kind, flags, fsid, body = rng.choice([
                (6, 0, 0, b"short"), (6, 0, 1, b"12345678"), (3, 0, 1, b"xyz"), (2, 0, 1, b"1234"),
                (8, 0, 0, b"\x00\x00\x00\x00"), (8, 0, 1, b"\x00\x00\x00\x00"), (4, 0, 0, b"12345"),
                (4, 1, 0, b"123456"), (0, 0, 0, b"x"), (0, 8, 1, b"\x05ab"), (7, 0, 0, b"1234"), (9, 4, 1, b"\x82"),
            ])
            hdr = len(body).to_bytes(3, "big") + bytes([kind, flags]) + fsid.to_bytes(4, "big")
            lines.append("recv " + (hdr + body).hex())
        elif k < 0.18:
            # the peer opens a stream (a request to a server; a server-initiated stream is rare)
            if server or rng.random() < 0.1:
                hs = list(req) + rng.sample(extras, rng.randint(0, 3))
                if rng.random() < 0.05:
                    hs.insert(rng.randint(0, len(hs)), rng.choice(bad))
                sid = next_peer if rng.random() > 0.03 else max(1, next_peer - 2)
                recv(*headers_frames(sid, hs, rng.random() < 0.4))
                next_peer += 2 if rng.random() > 0.1 else 4
                peer_streams.append(sid)
            else:
                hs = list(req) + rng.sample(extras, rng.randint(0, 2))
                lines.append(json.dumps({"op": "send_headers", "stream_id": next_own, "headers": hs,
                                         "end_stream": rng.random() < 0.5,
                                         **({"priority_weight": rng.randint(1, 256)} if rng.random() < 0.1 else {})}))
                own_streams.append(next_own)
                next_own += 2
        elif k < 0.30:
            # the peer answers one of our streams: 1xx, response, trailers
            pool = own_streams + pushed
            if pool and not server:
                sid = rng.choice(pool)
                kind = rng.choice(["info", "resp", "resp", "trailers"])
                hs = {"info": [(":status", "103")], "resp": [(":status", rng.choice(["200", "404"]))],
                      "trailers": [("x-trailer", "1")]}[kind] + (rng.sample(extras, 1) if kind == "resp" and rng.random() < 0.5 else [])
                recv(*headers_frames(sid, hs, kind == "trailers" or (kind == "resp" and rng.random() < 0.3)))
            elif server and peer_streams:
                sid = rng.choice(peer_streams)
                recv(*headers_frames(sid, [("x-trailer", "1")], True))
        elif k < 0.44:
            sid = any_stream() or 1
            d = DataFrame(sid, data=b"d" * rng.choice([0, 5, 40, 1000]), flags=["END_STREAM"] if rng.random() < 0.3 else [])
            if rng.random() < 0.15:
                d.flags.add("PADDED")
                d.pad_length = rng.randint(0, 30)
            recv(d)
        elif k < 0.56:
            # we respond, send data, trailers, or end a stream
            sid = any_stream()
            r = rng.random()
            if r < 0.35:
                hs = [(":status", rng.choice(["200", "100", "404"]))] + rng.sample(extras, rng.randint(0, 2)) if server else req
                lines.append(json.dumps({"op": "send_headers", "stream_id": sid, "headers": hs, "end_stream": rng.random() < 0.3}))
            elif r < 0.7:
                lines.append(json.dumps({"op": "send_data", "stream_id": sid, "data": "y" * rng.choice([0, 7, 300, 5000]),
                                         "end_stream": rng.random() < 0.4, "pad_length": rng.choice([None, None, 0, 9])}))
            elif r < 0.85:
                lines.append(json.dumps({"op": "send_headers", "stream_id": sid, "headers": [("x-t", "1")], "end_stream": True}))
            else:
                lines.append(json.dumps({"op": "end_stream", "stream_id": sid}))
        elif k < 0.64:
            sid = any_stream() or 1
            lines.append(json.dumps({"op": "acknowledge_received_data", "stream_id": sid,
                                     "acknowledged_size": rng.choice([5, 1025, 20000, 40000])}))
        elif k < 0.68:
            sid = any_stream() or 1
            lines.append(json.dumps({"op": "reset_stream", "stream_id": sid, "error_code": rng.choice([0, 8])}) if rng.random() < 0.5
                         else "recv " + RstStreamFrame(sid or 1, error_code=rng.choice([0, 8, 99])).serialize().hex())
        elif k < 0.74:
            sid = rng.choice([0, any_stream()])
            if rng.random() < 0.6:
                recv(WindowUpdateFrame(sid, window_increment=rng.choice([1, 1000, 65535, 2**31 - 1])))
            else:
                lines.append(json.dumps({"op": "increment_flow_control_window", "increment": rng.choice([1, 5000]),
                                         "stream_id": sid or None}))
        elif k < 0.78:
            recv(PingFrame(0, opaque_data=bytes(rng.randrange(256) for _ in range(8)), flags=["ACK"] if rng.random() < 0.3 else []))
        elif k < 0.82:
            if rng.random() < 0.5:
                sf = SettingsFrame(0)
                for _ in range(rng.randint(1, 2)):
                    sf.settings[rng.choice([1, 3, 4, 5, 6, 8])] = rng.choice([0, 1, 10, 4096, 16384, 30000, 70000])
                recv(sf)
            elif rng.random() < 0.5:
                recv(SettingsFrame(0, flags=["ACK"]))
            else:
                lines.append(json.dumps({"op": "update_settings", "new_settings": {
                    str(rng.choice([1, 3, 4, 5, 6])): rng.choice([0, 10, 2048, 16384, 65535, 100000])}}))
        elif k < 0.85:
            sid = any_stream() or 1
            recv(PriorityFrame(sid, depends_on=rng.choice([0, 0, sid + 2, sid if rng.random() < 0.05 else 0]), stream_weight=rng.randint(0, 255), exclusive=rng.random() < 0.3))
        elif k < 0.89:
            if server and peer_streams:
                promised = next_own
                lines.append(json.dumps({"op": "push_stream", "stream_id": rng.choice(peer_streams), "promised_stream_id": promised,
                                         "request_headers": req}))
                next_own += 2
                pushed.append(promised)
            elif not server and own_streams:
                promised = next_peer
                recv(PushPromiseFrame(rng.choice(own_streams), promised_stream_id=promised, data=enc.encode(req), flags=["END_HEADERS"]))
                next_peer += 2
                pushed.append(promised)
        elif k < 0.92:
            if server:
                lines.append(json.dumps({"op": "advertise_alternative_service", "field_value": 'h2=":8443"',
                                         **({"origin": "https://a.example"} if rng.random() < 0.5 else {"stream_id": any_stream()})}))
            else:
                recv(AltSvcFrame(rng.choice([0, any_stream()]), origin=rng.choice([b"", b"https://e.example"]), field=b'h2=":443"'))
        elif k < 0.95:
            e = ExtensionFrame(type=rng.choice([0x0b, 0x0d, 0x20, 0xfe]), stream_id=any_stream(), flag_byte=rng.randrange(256), body=b"ext")
            e.body_len = 3
            lines.append("recv " + e.serialize().hex())
        elif k < 0.98:
            lines.append(json.dumps({"op": rng.choice(["open_inbound_streams", "open_outbound_streams",
                                                       "get_next_available_stream_id", "inbound_flow_control_window"])}))
            lines.append(json.dumps({"op": rng.choice(["local_flow_control_window", "remote_flow_control_window"]),
                                     "stream_id": any_stream() or 1}))
        elif k < 0.99:
            recv(GoAwayFrame(0, last_stream_id=rng.choice([0, 1, 3]), error_code=rng.choice([0, 2]),
                             additional_data=rng.choice([b"", b"bye"])))
        else:
            lines.append(json.dumps({"op": "close_connection", "error_code": rng.choice([0, 2])}))
    return role, config, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*")
    ap.add_argument("--driver", default=None)
    ap.add_argument("--random", type=int, default=0)
    ap.add_argument("--rich", type=int, default=0, help="number of richer generated conversations")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", action="store_true", help="print the script of failing generated scenarios")
    a = ap.parse_args()
    driver = a.driver or default_driver()
    if not driver:
        sys.exit("build the driver first: cargo build --example h2drive")
    failures = expected = passed = 0
    for path in a.cases:
        with open(path) as fh:
            role, config, expect, lines = parse_case(fh.read())
        diff = compare(role, config, lines, driver)
        name = os.path.relpath(path)
        if expect:
            if diff is None:
                print(f"FAIL {name}: expected a documented difference ({expect}) but outputs match")
                failures += 1
            else:
                expected += 1
        elif diff:
            print(f"FAIL {name}\n{diff}")
            failures += 1
        else:
            passed += 1
    rng = random.Random(a.seed)
    for i in range(a.random):
        role, config, lines = gen_scenario(rng)
        diff = compare(role, config, lines, driver)
        if diff:
            failures += 1
            print(f"FAIL random #{i} (seed {a.seed}, role {role})\n{diff}")
            if a.show:
                print("\n".join(f"  {l}" for l in lines))
        else:
            passed += 1
    for i in range(a.rich):
        role, config, lines = gen_rich(rng)
        diff = compare(role, config, lines, driver)
        if diff:
            failures += 1
            print(f"FAIL rich #{i} (seed {a.seed}, role {role}, config {config})\n{diff}")
            if a.show:
                print("\n".join(f"  {l}" for l in lines))
        else:
            passed += 1
    print(f"differential: {passed} identical, {expected} documented differences, {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
