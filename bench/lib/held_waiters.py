#!/usr/bin/env python3
"""Holds many GET link/status?wait requests open and measures what they cost, for
bench/waiters.sh.

    held_waiters.py HOLD_URL REDEEM_URL SP ACCESS_TOKEN WAITERS SAMPLES SERVER_PID

1. Signs in WAITERS/5 phones and makes 5 link codes each (keep-alive, 8 threads).
2. Opens WAITERS connections to HOLD_URL, each holding GET /api/SP/link/status?wait=60 on its
   own code, and reads the server's RSS (/proc/SERVER_PID/status) before and after.
3. SAMPLES times: redeems one held code through REDEEM_URL (another instance, or the same)
   and times the held answer: from sending the redemption to the held answer's arrival.
Prints one JSON line: waiters, rss_before_kb, rss_held_kb, per_waiter_bytes, latency
p50/p99/max in ms, and how many held answers said REDEEMED.
"""
import asyncio
import base64
import http.client
import json
import resource
import statistics
import sys
import threading
import time
import urllib.parse


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def make_codes(base, sp, access_token, phones):
    """[(phone_id, phone_token, code)], 5 codes per phone."""
    url = urllib.parse.urlsplit(base)
    out, failures, lock = [], [], threading.Lock()
    next_phone = iter(range(phones))

    def work():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        while True:
            with lock:
                i = next(next_phone, None)
            if i is None:
                break
            device = base64.b64encode(b"waiter-phone-%06d" % i).decode()
            conn.request("POST", f"/api/{sp}/serviceToken", headers={
                "Authorization": f"Bearer {access_token}", "AP-Device-Identifier": f"fingerprint {device}",
                "X-SSO-ID": f"waiter-profile-{i}"})
            response = conn.getresponse()
            body = response.read()
            if response.status != 201:
                failures.append(f"sign-in {response.status} {body[:120]!r}")
                break
            token = json.loads(body)["serviceToken"]
            for _ in range(5):
                conn.request("POST", f"/api/{sp}/link", headers={
                    "Authorization": f"Bearer {access_token}", "AP-Device-Identifier": f"fingerprint {device}",
                    "AD-Service-Token": token})
                response = conn.getresponse()
                body = response.read()
                if response.status != 201:
                    failures.append(f"link {response.status} {body[:120]!r}")
                    return
                with lock:
                    out.append((device, token, json.loads(body)["code"]))
        conn.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError("; ".join(failures[:3]))
    return out


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    return status, body


async def hold(url, sp, access_token, device, token, code):
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    request = (f"GET /api/{sp}/link/status?wait=60 HTTP/1.1\r\nHost: {url.netloc}\r\n"
               f"Authorization: Bearer {access_token}\r\nAP-Device-Identifier: fingerprint {device}\r\n"
               f"AD-Service-Token: {token}\r\nX-SSO-LINK: {code}\r\n\r\n")
    writer.write(request.encode())
    await writer.drain()
    return reader, writer


async def redeem(url, sp, access_token, code, i):
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    device = base64.b64encode(b"waiter-tv-%06d" % i).decode()
    request = (f"POST /api/{sp}/serviceToken HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Length: 0\r\n"
               f"Authorization: Bearer {access_token}\r\nAP-Device-Identifier: fingerprint {device}\r\n"
               f"X-SSO-LINK: {code}\r\nConnection: close\r\n\r\n")
    writer.write(request.encode())
    await writer.drain()
    status, _ = await read_response(reader)
    writer.close()
    return status


async def run(hold_base, redeem_base, sp, access_token, codes, samples, pid):
    hold_url, redeem_url = urllib.parse.urlsplit(hold_base), urllib.parse.urlsplit(redeem_base)
    time.sleep(1.0)
    rss_before = rss_kb(pid)
    held = []
    for start in range(0, len(codes), 500):  # in steps, so the accept queue never overflows
        held += await asyncio.gather(*(hold(hold_url, sp, access_token, *c) for c in codes[start:start + 500]))
    await asyncio.sleep(2.0)  # every request read and registered
    rss_held = rss_kb(pid)
    latencies, redeemed = [], 0
    step = max(1, len(held) // samples)
    for n, i in enumerate(range(0, len(held), step)):
        if n >= samples:
            break
        reader, writer = held[i]
        answer = asyncio.ensure_future(read_response(reader))
        sent = time.perf_counter()
        status = await redeem(redeem_url, sp, access_token, codes[i][2], i)
        if status != 201:
            raise RuntimeError(f"redemption answered {status}")
        held_status, body = await asyncio.wait_for(answer, 10)
        latencies.append((time.perf_counter() - sent) * 1000)
        redeemed += held_status == 200 and json.loads(body).get("status") == "REDEEMED"
        writer.close()
    latencies.sort()
    return {
        "waiters": len(held),
        "rss_before_kb": rss_before,
        "rss_held_kb": rss_held,
        "per_waiter_bytes": round((rss_held - rss_before) * 1024 / len(held)),
        "samples": len(latencies),
        "redeemed_answers": redeemed,
        "latency_ms_p50": round(statistics.median(latencies), 2),
        "latency_ms_p99": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
        "latency_ms_max": round(latencies[-1], 2),
    }


def main():
    hold_base, redeem_base, sp, access_token, waiters, samples, pid = sys.argv[1:8]
    waiters, samples, pid = int(waiters), int(samples), int(pid)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, waiters + 1000)), hard))
    codes = make_codes(hold_base, sp, access_token, (waiters + 4) // 5)[:waiters]
    result = asyncio.run(run(hold_base, redeem_base, sp, access_token, codes, samples, pid))
    print(json.dumps(result))
    return 0 if result["redeemed_answers"] == result["samples"] else 1


if __name__ == "__main__":
    sys.exit(main())
