#!/usr/bin/env python3
"""Regenerates tz_zones.tsv and tz_listed.tsv from the system tzdata (Debian package `tzdata`).

For every zone file under /usr/share/zoneinfo (canonical zones and backward-compatible links
such as Asia/Calcutta or US/Eastern) it records:
  - the ISO 3166 country, from zone.tab (one country per zone); a link not listed there takes
    the country of the zone it was renamed to (RENAMED), else of the zone it points to;
  - the current POSIX TZ rule: the footer line of the TZif file (RFC 8536, section 3.3), which
    says how the zone keeps time after its last listed transition.
And in tz_listed.tsv, for the few zones whose TZif lists transitions past 2038 (Morocco's and
Palestine's, set by Ramadan, which no POSIX rule can express), those transitions from the start
of the current year to 2038 (see listed_cells).

Usage: python3 shared/data/gen_tz_zones.py [/usr/share/zoneinfo]   (writes both files beside itself)
"""
import calendar
import os
import struct
import sys
import time

root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/zoneinfo"
SKIP_DIRS = {"posix", "right"}
SKIP_FILES = {"posixrules", "localtime", "Factory"}

countries = {}
with open(os.path.join(root, "zone.tab"), encoding="utf-8") as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        countries[cols[2]] = cols[0]


# Old spellings whose link, in the compiled tzdata, skips the zone they were renamed to and
# points at a zone of another country (tzdata's `backward` file names the rename in a "#="
# comment, which Debian does not ship). Checked against zone.tab: each value is listed there.
RENAMED = {
    "Africa/Asmera": "Africa/Asmara",             # ER, not Nairobi's KE
    "Africa/Timbuktu": "Africa/Bamako",           # ML, not Abidjan's CI
    "America/Coral_Harbour": "America/Atikokan",  # CA, not Panama's PA
    "America/Virgin": "America/St_Thomas",        # VI, not Puerto Rico's PR
    "Antarctica/South_Pole": "Antarctica/McMurdo",  # AQ, not Auckland's NZ
    "Atlantic/Jan_Mayen": "Arctic/Longyearbyen",  # SJ, not Berlin's DE
    "Iceland": "Atlantic/Reykjavik",              # IS, not Abidjan's CI
    "Pacific/Ponape": "Pacific/Pohnpei",          # FM, not Guadalcanal's SB
    "Pacific/Truk": "Pacific/Chuuk",              # FM, not Port Moresby's PG
    "Pacific/Yap": "Pacific/Chuuk",               # FM, not Port Moresby's PG
}


def footer(data):
    if not data.startswith(b"TZif"):
        return None
    end = data.rstrip(b"\n")
    nl = end.rfind(b"\n")
    if nl < 0:
        return None
    rule = end[nl + 1:].decode("ascii")
    return rule if rule and "\t" not in rule else None


LISTED_FROM = calendar.timegm((time.gmtime().tm_year, 1, 1, 0, 0, 0))
LISTED_TO = 2145916800  # 2038-01-01T00:00:00Z: the engine takes the rule again from there
MARKER_2038 = 2147483647


def listed_transitions(data):
    """The TZif v2+ data block's transitions as (unix seconds, UTC offset seconds)."""
    if data[4:5] < b"2":
        return []
    # The v1 block first, to skip it: isutcnt isstdcnt leapcnt timecnt typecnt charcnt.
    isut, isstd, leap, timecnt, typecnt, charcnt = struct.unpack(">6l", data[20:44])
    v1 = 44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut
    isut, isstd, leap, timecnt, typecnt, charcnt = struct.unpack(">6l", data[v1 + 20:v1 + 44])
    at = v1 + 44
    times = struct.unpack(">%dq" % timecnt, data[at:at + timecnt * 8])
    at += timecnt * 8
    kinds = data[at:at + timecnt]
    at += timecnt
    offsets = [struct.unpack(">lBB", data[at + 6 * k:at + 6 * k + 6])[0] for k in range(typecnt)]
    return [(t, offsets[k]) for t, k in zip(times, kinds)]


def listed_cells(data):
    """This zone's listed transitions past its rule, as rows of at most 127 bytes (cmake/EmbedTsv's
    cell limit) of "HOURS=MINUTES" pairs: the offset in minutes east of UTC from that hour on, the
    row's first hour counted from 1970, each next one from the pair before (a third of the digits
    of whole seconds, which gzip cannot shorten); [] if none."""
    transitions = listed_transitions(data)
    if not transitions or transitions[-1][0] <= MARKER_2038:
        return []
    cells, previous = [""], 0
    for t, off in transitions:
        if LISTED_FROM <= t < LISTED_TO:
            assert t % 3600 == 0 and off % 60 == 0, (t, off)
            pair = f"{t // 3600 - previous}={off // 60}"
            if cells[-1] and len(cells[-1]) + 1 + len(pair) > 127:
                cells.append("")
                pair = f"{t // 3600}={off // 60}"
            cells[-1] += (" " if cells[-1] else "") + pair
            previous = t // 3600
    return cells if cells[0] else []


def canonical(name):
    path = os.path.join(root, name)
    real = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    return real


rows = []
listed = []
for dirpath, dirnames, filenames in os.walk(root):
    rel_dir = os.path.relpath(dirpath, root)
    dirnames[:] = sorted(d for d in dirnames if not (rel_dir == "." and d in SKIP_DIRS))
    for fn in filenames:
        name = fn if rel_dir == "." else rel_dir + "/" + fn
        if fn in SKIP_FILES:
            continue
        with open(os.path.join(dirpath, fn), "rb") as f:
            data = f.read()
        rule = footer(data)
        if rule is None:
            continue
        country = countries.get(name) or countries.get(RENAMED.get(name), "") or countries.get(canonical(name), "")
        rows.append((name, country or "-", rule))
        listed += [(name, cell) for cell in listed_cells(data)]

rows.sort(key=lambda r: r[0].encode())
listed.sort(key=lambda r: r[0].encode())  # stable: each zone's cells stay in time order
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "tz_zones.tsv"), "w", encoding="utf-8") as out:
    out.write("# IANA time zone → ISO 3166-1 country (zone.tab) and current POSIX TZ rule (TZif footer).\n")
    out.write("# Generated by gen_tz_zones.py from tzdata; regenerate rather than edit by hand.\n")
    out.write("# zone\tcountry\tposix_rule\n")
    for r in rows:
        out.write("\t".join(r) + "\n")
with open(os.path.join(here, "tz_listed.tsv"), "w", encoding="utf-8") as out:
    out.write("# Transitions tzdata lists where no POSIX rule can say them (Ramadan in Morocco and Palestine),\n")
    out.write("# from the start of the generating year to 2038, as HOURS=MINUTES: from that hour on, the offset\n")
    out.write("# in minutes east of UTC. A row's first hour counts from 1970-01-01T00:00Z, each next one from\n")
    out.write("# the one before. A zone's rows are in time order. Generated by gen_tz_zones.py; do not edit.\n")
    out.write("# zone\ttransitions\n")
    for r in listed:
        out.write("\t".join(r) + "\n")
