import { InputError, inlineErrorMessage } from '../../errors.js';

/** One testssl.sh finding, as its JSON and CSV files hold them. */
export interface TestsslRecord {
  id: string;
  severity: string;
  finding: string;
}

/** Everything testssl.sh wrote about one host:port. */
export interface TestsslScan {
  /** The name testssl.sh was given ("fqdn" of its "fqdn/ip" column), else the address. */
  host: string;
  address?: string;
  port: number;
  /** ISO 8601: the pretty JSON's startTime; the flat files carry no time. */
  startedAt?: string;
  records: TestsslRecord[];
}

/** testssl.sh's "fqdn/ip" column: "www.example.org/192.0.2.1", "127.0.0.1/127.0.0.1", or "/" for the client's own problems. */
function splitTarget(ip: string): { host: string; address?: string } | undefined {
  const slash = ip.indexOf('/');
  const fqdn = (slash === -1 ? ip : ip.slice(0, slash)).trim();
  const address = (slash === -1 ? '' : ip.slice(slash + 1)).trim();
  if (!fqdn && !address) return undefined;
  return { host: fqdn || address, ...(address && { address }) };
}

/** Groups flat records (the --jsonfile array, the CSV rows) by target; records about no target (engine_problem) are the client's, not a server's. */
function groupFlat(rows: readonly { ip: string; port: string; record: TestsslRecord }[]): TestsslScan[] {
  const scans = new Map<string, TestsslScan>();
  for (const row of rows) {
    // The scanning client's own problems name the target without its address; they are about no server.
    if (/^(?:engine_problem|clientProblem\d*)$/.test(row.record.id)) continue;
    const target = splitTarget(row.ip);
    const port = Number(row.port);
    if (!target || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    const key = `${target.host}\u0000${target.address ?? ''}\u0000${port}`;
    let scan = scans.get(key);
    if (!scan) {
      scan = { ...target, port, records: [] };
      scans.set(key, scan);
    }
    scan.records.push(row.record);
  }
  return [...scans.values()];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function toRecord(value: unknown): TestsslRecord | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const id = text(v.id);
  if (!id) return undefined;
  return { id, severity: text(v.severity), finding: text(v.finding) };
}

function epochToIso(value: unknown): string | undefined {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const d = new Date(n * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * testssl.sh JSON: the flat array of --jsonfile (every record names its "ip" and "port") or the
 * document of --jsonfile-pretty (records grouped by section under each "scanResult" entry).
 */
export function readTestsslJson(textIn: string, origin: string): TestsslScan[] {
  let data: unknown;
  try {
    data = JSON.parse(textIn.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${origin} is not JSON: ${inlineErrorMessage(error)}.`, error);
  }
  if (Array.isArray(data)) {
    const rows = data.flatMap((item) => {
      const record = toRecord(item);
      const v = item as Record<string, unknown>;
      return record ? [{ ip: text(v.ip), port: text(v.port), record }] : [];
    });
    if (rows.length === 0 && data.length > 0) throw new InputError(`${origin} is a JSON array, but not of testssl.sh findings (no "id").`);
    return groupFlat(rows);
  }
  if (data === null || typeof data !== 'object' || !Array.isArray((data as Record<string, unknown>).scanResult)) {
    throw new InputError(`${origin} is not testssl.sh JSON (neither a findings array nor a document with "scanResult").`);
  }
  const doc = data as Record<string, unknown>;
  const startedAt = epochToIso(doc.startTime);
  const scans: TestsslScan[] = [];
  for (const entry of doc.scanResult as unknown[]) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
    const e = entry as Record<string, unknown>;
    const port = Number(text(e.port));
    const host = text(e.targetHost) || text(e.ip);
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    const address = text(e.ip);
    const records: TestsslRecord[] = [];
    // Sections (protocols, ciphers, serverDefaults, cipherTests, ...) are arrays of records; their names changed between versions (pfs became fs).
    for (const value of Object.values(e)) {
      if (!Array.isArray(value)) continue;
      for (const item of value) {
        const record = toRecord(item);
        if (record) records.push(record);
      }
    }
    scans.push({ host, ...(address && { address }), port, ...(startedAt && { startedAt }), records });
  }
  return scans;
}

/** RFC 4180 fields: quoted with doubled quotes inside, or bare. */
export function parseCsvRows(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const s = input.replace(/^\uFEFF/, '');
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** testssl.sh --csvfile: a header row naming id, fqdn/ip, port, severity and finding (cve, cwe and, before 3.0, hint follow). */
export function readTestsslCsv(input: string, origin: string): TestsslScan[] {
  const rows = parseCsvRows(input);
  const header = rows[0]?.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header?.indexOf(name) ?? -1;
  const [id, ip, port, severity, finding] = [col('id'), col('fqdn/ip'), col('port'), col('severity'), col('finding')];
  if (id < 0 || ip < 0 || port < 0 || finding < 0) {
    throw new InputError(`${origin} is not testssl.sh CSV (its first row does not name the columns id, fqdn/ip, port and finding).`);
  }
  return groupFlat(
    rows.slice(1).map((r) => ({
      ip: r[ip] ?? '',
      port: r[port] ?? '',
      record: { id: r[id] ?? '', severity: severity < 0 ? '' : (r[severity] ?? ''), finding: r[finding] ?? '' },
    })).filter((r) => r.record.id !== ''),
  );
}
