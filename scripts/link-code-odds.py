#!/usr/bin/env python3
"""Odds of guessing a live link code, for docs/security.md.

Prints three markdown tables: the guessing odds per code lifetime for a few code formats,
live-code counts and failure budgets; the largest budget that keeps each deployment size
below 1 in 10,000 per code lifetime; and, with the default limits, the odds by how many
client addresses an attacker holds, next to how many it takes to deny pairing. Standard
library only; no network.

    python3 scripts/link-code-odds.py [--ttl 600] [--window 600] [--budget 1000] [--failures 5]

Model (see docs/security.md): the global budget is a GCRA limit of B failures per window W,
i.e. a burst of B, then one failure every T = W/B. A code is live for L seconds on the
half-open interval [created, created + L). An attacker who starts the code's lifetime with
a full budget gets G = B + ceil(L/T) - 1 guesses at it (the simple bound is B * (L/W + 1)).
"""
import argparse
import math

FORMATS = {  # name: (alphabet size, length), as --link-code-format spells them
    "digits:6": (10, 6),
    "digits:8": (10, 8),
    "base20:8": (20, 8),   # RFC 8628's BCDFGHJKLMNPQRSTVWXZ
    "base20:10": (20, 10),
}
TABLE_FORMATS = ["digits:6", "digits:8", "base20:8"]
TABLE_LIVE_CODES = [10, 1_000, 100_000]
TABLE_BUDGETS = [20, 50, 100, 1_000, 10_000]
SIZES = [1, 10, 100, 1_000, 10_000, 100_000]
TARGET = 1e-4  # 1 in 10,000 per code lifetime
BUDGET_CAP = 100_000  # larger budgets are shown as "> 100,000": no deployment needs them


def space(fmt):
    letters, length = FORMATS[fmt]
    return letters ** length


def space_text(fmt):
    letters, length = FORMATS[fmt]
    if letters == 10:
        return f"10^{length}"
    mantissa, exponent = f"{letters ** length:.1e}".split("e")
    return f"{letters}^{length} ≈ {mantissa}e{int(exponent)}"


def guesses(budget, window_s, ttl_s):
    """Failed guesses one code can receive in its lifetime, as the server's GCRA allows them."""
    interval_ms = max(window_s * 1000 // budget, 1)  # as RateLimit::per_window computes it
    return budget + math.ceil(ttl_s * 1000 / interval_ms) - 1


def p_any(g, n, s):
    """P(at least one of g guesses hits one of n live codes) = 1 - (1 - n/s)^g."""
    return -math.expm1(g * math.log1p(-n / s))


def safe(g, n, s):
    """Below the target by the union bound g*n/s, which holds for any guessing strategy."""
    return g * n / s < TARGET


def largest_budget(n, s, window_s, ttl_s):
    """Largest B with safe(guesses(B), n, s); 0 when even B = 1 is too much."""
    if not safe(guesses(1, window_s, ttl_s), n, s):
        return 0
    low = 1
    while safe(guesses(low * 2, window_s, ttl_s), n, s):
        low *= 2
    high = low * 2  # safe(low), not safe(high)
    while high - low > 1:
        mid = (low + high) // 2
        if safe(guesses(mid, window_s, ttl_s), n, s):
            low = mid
        else:
            high = mid
    return low


def attacker_guesses(addresses, failures, budget, window_s, ttl_s):
    """Failed guesses at one code by an attacker with this many client addresses (IPv4
    addresses or IPv6 /64s): each address has its own limit of F per window, and all of them
    together the service provider's budget of B."""
    return min(addresses * guesses(failures, window_s, ttl_s), guesses(budget, window_s, ttl_s))


def show(p):
    if p >= 0.995:
        return "≈1"
    if p >= 0.01:
        return f"{p:.2f}"
    mantissa, exponent = f"{p:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ttl", type=int, default=600, help="link-code lifetime L in seconds")
    parser.add_argument("--window", type=int, default=600, help="budget window W in seconds")
    parser.add_argument("--budget", type=int, default=1000, help="--redeem-budget B per window")
    parser.add_argument("--failures", type=int, default=5, help="--redeem-failures F per window")
    args = parser.parse_args()
    w, ttl = args.window, args.ttl

    print(f"Guessing odds per code lifetime (L = {ttl} s, budget B failures per {w} s).\n")
    print("| format | S | N live codes | B per window | G guesses | P(any live code hit) "
          "| P(a given code hit) | P(any) < 1/10,000 |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for fmt in TABLE_FORMATS:
        s = space(fmt)
        for n in TABLE_LIVE_CODES:
            for b in TABLE_BUDGETS:
                g = guesses(b, w, ttl)
                verdict = "yes" if safe(g, n, s) else "no"
                print(f"| {fmt} | {space_text(fmt)} | {n:,} | {b:,} | {g:,} | {show(p_any(g, n, s))} "
                      f"| {show(g / s)} | {verdict} |")

    print(f"\nLargest --redeem-budget B (failures per {w} s) that keeps P(any) below 1 in 10,000 "
          f"per lifetime (0: not even B = 1).\n")
    print("| N live codes | " + " | ".join(FORMATS) + " |")
    print("|---:|" + "---:|" * len(FORMATS))
    for n in SIZES:
        budgets = [largest_budget(n, space(fmt), w, ttl) for fmt in FORMATS]
        row = [f"> {BUDGET_CAP:,}" if b > BUDGET_CAP else f"{b:,}" for b in budgets]
        print(f"| {n:,} | " + " | ".join(row) + " |")

    b, f = args.budget, args.failures
    deny = math.ceil(b / f)
    print(f"\nOdds per code lifetime by the attacker's client addresses (IPv4 addresses or IPv6 /64s), "
          f"with --redeem-failures {f}/{w} and --redeem-budget {b}/{w}. Keeping the budget empty "
          f"(a denial of pairing) takes {deny:,} addresses.\n")
    print("| addresses | G guesses | " + " | ".join(f"P(a given code hit), {fmt}" for fmt in TABLE_FORMATS)
          + " | denies pairing |")
    print("|---:|---:|" + "---:|" * len(TABLE_FORMATS) + "---|")
    for addresses in sorted({1, 10, 100, deny, 10 * deny}):
        g = attacker_guesses(addresses, f, b, w, ttl)
        odds = " | ".join(show(g / space(fmt)) for fmt in TABLE_FORMATS)
        print(f"| {addresses:,} | {g:,} | {odds} | {'yes' if addresses >= deny else 'no'} |")


if __name__ == "__main__":
    main()
