#!/usr/bin/env python3
"""Signs in many bench devices over keep-alive connections, for bench/server.sh.

    sign_in_devices.py BASE_URL SP ACCESS_TOKEN COUNT PROFILES OUT_FILE

Device i (1..COUNT) has the id base64("bench-device-%06d") and joins the profile
"bench-profile-(i % PROFILES)"; OUT_FILE gets one "device_id service_token" line per device.
Eight threads, each with one HTTP/1.1 connection: a few seconds for 10,000 devices, where a
curl process per device took minutes. Exits non-zero if any sign-in fails.
"""
import base64
import http.client
import json
import sys
import threading
import urllib.parse


def main():
    base, sp, access_token, count, profiles, out_path = sys.argv[1:7]
    count, profiles = int(count), int(profiles)
    url = urllib.parse.urlsplit(base)
    results = [None] * count
    failures = []
    next_index = iter(range(count))
    lock = threading.Lock()

    def work():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                break
            device_id = base64.b64encode(b"bench-device-%06d" % (i + 1)).decode()
            conn.request("POST", f"/api/{sp}/serviceToken", headers={
                "Authorization": f"Bearer {access_token}",
                "AP-Device-Identifier": f"fingerprint {device_id}",
                "X-SSO-ID": f"bench-profile-{(i + 1) % profiles}",
            })
            response = conn.getresponse()
            body = response.read()
            if response.status not in (200, 201):
                with lock:
                    failures.append(f"device {i + 1}: HTTP {response.status} {body[:200]!r}")
                break
            results[i] = f"{device_id} {json.loads(body)['serviceToken']}"
        conn.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures or any(r is None for r in results):
        print("sign-in of the bench devices failed: " + ("; ".join(failures[:3]) or "incomplete"), file=sys.stderr)
        return 1
    with open(out_path, "w") as out:
        out.write("\n".join(results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
