"""Reference reader for the nmap ingest benchmark: Python's xml.etree, streaming (iterparse), extracting
what tlsaudit extracts from each open TCP port's ssl-enum-ciphers result (host name, address, port,
service, protocols with their suites' name, strength and kex_info, preference, warnings, compressors),
written as one JSON document to stdout.

    python3 bench/nmap_ingest_reference.py SCAN.xml > /dev/null
"""
import json
import sys
import xml.etree.ElementTree as ET


def elems(table):
    keyed = {}
    listed = []
    for e in table.findall("elem"):
        key = e.get("key")
        if key is None:
            listed.append(e.text or "")
        else:
            keyed[key] = e.text or ""
    return keyed, listed


def read_port(port):
    script = next((s for s in port.findall("script") if s.get("id") == "ssl-enum-ciphers"), None)
    if script is None:
        return None, []
    protocols = []
    for proto in script.findall("table"):
        keyed, _ = elems(proto)
        suites = []
        subtables = {t.get("key"): t for t in proto.findall("table")}
        ciphers = subtables.get("ciphers")
        if ciphers is not None:
            for suite in ciphers.findall("table"):
                k, _ = elems(suite)
                suites.append({"name": k.get("name"), "strength": k.get("strength"), "kex_info": k.get("kex_info")})
        entry = {"version": proto.get("key"), "ciphers": suites, "cipher_preference": keyed.get("cipher preference")}
        for name in ("warnings", "compressors"):
            if name in subtables:
                entry[name] = elems(subtables[name])[1]
        protocols.append(entry)
    least, _ = elems(script)
    return protocols, [least.get("least strength")]


def main(path):
    out = sys.stdout
    out.write('{"targets":[')
    first = True
    for _, host in ET.iterparse(path, events=("end",)):
        if host.tag != "host":
            continue
        address = next((a.get("addr") for a in host.findall("address") if a.get("addrtype") in ("ipv4", "ipv6")), None)
        names = host.findall("hostnames/hostname")
        user = next((h.get("name") for h in names if h.get("type") == "user"), None)
        name = user or next((h.get("name") for h in names if h.get("type") == "PTR"), None) or address
        for port in host.findall("ports/port"):
            state = port.find("state")
            if port.get("protocol") != "tcp" or state is None or state.get("state") != "open":
                continue
            service = port.find("service")
            protocols, grade = read_port(port)
            target = {"host": name, "address": address, "port": int(port.get("portid")),
                      "service": service.get("name") if service is not None else None}
            if protocols is None:
                target["error"] = "no TLS result"
            else:
                target["protocols"] = protocols
                target["grade"] = grade[0]
            out.write(("" if first else ",") + json.dumps(target))
            first = False
        host.clear()
    out.write("]}\n")


if __name__ == "__main__":
    main(sys.argv[1])
