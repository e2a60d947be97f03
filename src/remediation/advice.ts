/** The server software advice is written for; the runtime list and the type come from one array. */
export const SERVER_KINDS = ['windows', 'nginx', 'apache', 'postfix'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const SERVER_LABELS: Readonly<Record<ServerKind, string>> = {
  windows: 'Windows Server (Schannel: IIS, Exchange, RDP, ...)',
  nginx: 'nginx',
  apache: 'Apache httpd (mod_ssl)',
  postfix: 'Postfix (SMTP STARTTLS)',
};

export type SnippetLanguage = 'powershell' | 'nginx' | 'apache' | 'postfix' | 'shell';

/** One change to make on one kind of server, generated from a target's findings under one policy. */
export interface Advice {
  server: ServerKind;
  /** Policy id. */
  policy: string;
  /** Ids of the rules whose findings this change answers. */
  rules: string[];
  /** A short imperative: "Disable TLS 1.0 and TLS 1.1". */
  title: string;
  /** What to paste or run. */
  snippet: {
    language: SnippetLanguage;
    text: string;
    /**
     * The text is whole configuration directives, valid where `context` says, so it can be pasted (and
     * checked, e.g. with `nginx -t`) as is; false for commands or fragments that need local paths.
     */
    complete: boolean;
    /** Where it goes: "server {} block", "main.cf", "an elevated PowerShell". */
    context: string;
  };
  /** Caveats: versions needed, side effects, what cannot be done on this server. */
  notes: string[];
}
