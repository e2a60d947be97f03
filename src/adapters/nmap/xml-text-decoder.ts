import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';

/**
 * Bytes of an XML document into text, in whatever chunks they arrive. The encoding is told from the
 * first bytes as XML 1.0 Appendix F describes: a UTF-16 byte order mark (what PowerShell's `>` and
 * `Out-File` write) or, without one, the "<" of the document as UTF-16; UTF-8 otherwise. A UTF-8 byte
 * order mark is left in the text for the reader to pass over.
 */
export class XmlTextDecoder {
  private decoder: StringDecoder | TextDecoder | undefined;
  private head = Buffer.alloc(0);

  write(chunk: Uint8Array): string {
    if (this.decoder) return this.decode(chunk, true);
    this.head = Buffer.concat([this.head, chunk]);
    // Two bytes tell UTF-16 (with or without its mark) from UTF-8.
    if (this.head.length < 2) return '';
    return this.start(true);
  }

  end(): string {
    if (!this.decoder) {
      if (this.head.length === 0) return '';
      return this.start(false);
    }
    const decoder = this.decoder;
    return decoder instanceof StringDecoder ? decoder.end() : decoder.decode();
  }

  private start(stream: boolean): string {
    const [a, b] = this.head;
    let encoding: 'utf-16le' | 'utf-16be' | undefined;
    if ((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0x00)) encoding = 'utf-16le';
    else if ((a === 0xfe && b === 0xff) || (a === 0x00 && b === 0x3c)) encoding = 'utf-16be';
    // TextDecoder drops the byte order mark (ignoreBOM false); StringDecoder is the faster UTF-8 path.
    this.decoder = encoding ? new TextDecoder(encoding) : new StringDecoder('utf8');
    const head = this.head;
    this.head = Buffer.alloc(0);
    const text = this.decode(head, stream);
    return stream ? text : text + this.end();
  }

  private decode(chunk: Uint8Array, stream: boolean): string {
    const decoder = this.decoder!;
    if (decoder instanceof StringDecoder) return decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return decoder.decode(chunk, { stream });
  }
}
