// Blob, EncodingUtil and the parts of Crypto the package uses (Apex Reference "Blob Class",
// "EncodingUtil Class", "Crypto Class"). Text is UTF-8, as Blob.valueOf(String) documents.
import { createHash, randomBytes } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { registerNative } from './registry';
import { required, str, stringException } from './support';
import { ApexBlob, ApexError, UnsupportedError, type Value } from '../values';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export const blobOf = (text: string) => new ApexBlob(utf8.encode(text));

export function blobText(blob: ApexBlob): string {
  try {
    return strictUtf8.decode(blob.bytes);
  } catch {
    throw stringException('BLOB is not a valid UTF-8 string');
  }
}

export const base64Encode = (blob: ApexBlob) => Buffer.from(blob.bytes).toString('base64');

export function base64Decode(text: string): ApexBlob {
  return new ApexBlob(new Uint8Array(Buffer.from(text, 'base64')));
}

const blobArg = (v: Value) => required(v) as ApexBlob;

registerNative({
  name: 'Blob',
  aliases: ['System.Blob'],
  statics: {
    valueof: (_ctx, _self, [text]) => blobOf(str(text)),
    topdf: () => {
      throw new UnsupportedError('Blob.toPdf');
    },
  },
  methods: {
    size: (_ctx, self) => blobArg(self).bytes.length,
    tostring: (_ctx, self) => blobText(blobArg(self)),
  },
});

/** java.net.URLEncoder: letters, digits and . - * _ stay; space is '+'; the rest %XX of UTF-8. */
export function urlEncode(text: string): string {
  let out = '';
  for (const byte of utf8.encode(text)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function checkUtf8(encoding: Value): void {
  const name = str(encoding).toUpperCase();
  if (name !== 'UTF-8' && name !== 'UTF8') throw new UnsupportedError(`encoding ${str(encoding)}`);
}

registerNative({
  name: 'System.EncodingUtil',
  statics: {
    urlencode: (_ctx, _self, [text, encoding]) => {
      checkUtf8(encoding);
      return urlEncode(str(text));
    },
    urldecode: (_ctx, _self, [text, encoding]) => {
      checkUtf8(encoding);
      try {
        return decodeURIComponent(str(text).replace(/\+/g, ' '));
      } catch {
        throw new ApexError(
          'System.IllegalArgumentException',
          'URLDecoder: Illegal hex characters',
        );
      }
    },
    base64encode: (_ctx, _self, [blob]) => base64Encode(blobArg(blob)),
    base64decode: (_ctx, _self, [text]) => base64Decode(str(text)),
    converttohex: (_ctx, _self, [blob]) => Buffer.from(blobArg(blob).bytes).toString('hex'),
    convertfromhex: (_ctx, _self, [text]) => {
      const hex = str(text);
      if (!/^([0-9a-fA-F]{2})*$/.test(hex)) {
        throw stringException('Invalid hex string'); // wording not confirmed
      }
      return new ApexBlob(new Uint8Array(Buffer.from(hex, 'hex')));
    },
  },
});

const DIGESTS: Record<string, string> = {
  MD5: 'md5',
  SHA1: 'sha1',
  'SHA-256': 'sha256',
  SHA256: 'sha256',
  'SHA-512': 'sha512',
  SHA512: 'sha512',
};

registerNative({
  name: 'System.Crypto',
  statics: {
    getrandominteger: () => randomBytes(4).readInt32BE(0),
    getrandomlong: () => randomBytes(8).readBigInt64BE(0),
    generatedigest: (_ctx, _self, [algorithm, input]) => {
      const name = DIGESTS[str(algorithm).toUpperCase()];
      if (!name)
        throw new ApexError(
          'System.InvalidParameterValueException',
          `Invalid algorithm: ${str(algorithm)}`,
        );
      return new ApexBlob(new Uint8Array(createHash(name).update(blobArg(input).bytes).digest()));
    },
  },
});
