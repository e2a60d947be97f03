/**
 * What fast-xml-parser costs is per element and per attribute far more than per byte, so a <host> is
 * slimmed before parsing by dropping what parseNmapHost never reads. Every pattern starts at a '<' or
 * a '>' of markup: a raw '<' cannot occur in attribute values or text, and a tag's inside is matched
 * quote-aware ("..." skipped whole), so nothing can match across an attribute value or inside text.
 * Anything written in an unexpected shape (other attribute order, single quotes, entities in a state)
 * simply does not match and is parsed as before; the result is the same either way.
 */
const TAG_INSIDE = '(?:[^>"]|"[^"]*")*';

const SLIM = new RegExp(
  [
    // A closed or filtered port with no script (just <state/> and maybe <service/>) is never a
    // target, so the three elements go (nmap lists every port it was asked about).
    `<port\\b${TAG_INSIDE}>\\s*<state state="(?!open")[^"&]*"${TAG_INSIDE}/>\\s*(?:<service\\b${TAG_INSIDE}/>\\s*)?</port>\\s*`,
    // The scripts' `output` text repeats their structured tables as prose; often most of a host's bytes.
    // Only where tables follow: before nmap 6.25 the text was all the script wrote (a self-closed element).
    '(<script id="ssl-(?:enum-ciphers|cert)")\\s+output="[^"]*"(?=\\s*>)',
    // Other scripts, and the host's script, OS, traceroute and timing elements are not read.
    `<script id="(?!ssl-enum-ciphers"|ssl-cert")[^"&]*"${TAG_INSIDE}?(?:/>|>[\\s\\S]*?</script>)\\s*`,
    `<(?:status|times|distance|uptime|tcpsequence|ipidsequence|tcptssequence|smurf)\\b${TAG_INSIDE}/>\\s*`,
    `<(os|trace|hostscript|extraports)\\b${TAG_INSIDE}?(?:/>|>[\\s\\S]*?</\\2>)\\s*`,
    // Why nmap could not tell the cipher preference is not read, only the preference.
    '<elem key="cipher preference error">[^<]*</elem>\\s*',
    // Only the port state is read, not why nmap decided it.
    '(<state state="[^"]*")\\s+reason="[^"]*"(?:\\s+reason_ttl="[^"]*")?',
    // How nmap recognised the service (method, conf) is not read either.
    '(<service\\b(?:\\s+(?!method=|conf=)[\\w-]+="[^"]*")*)\\s+method="[^"]*"(?:\\s+conf="[^"]*")?',
    // White space between tags is dropped by the parser anyway (trimValues), one text node at a time.
    '(>)\\s+(?=<)',
  ].join('|'),
  'g',
);

export function slimNmapHost(xml: string): string {
  return xml.replace(SLIM, '$1$3$4$5');
}
