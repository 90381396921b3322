// Python's json, exactly enough to check meshlogd's event ids.
//
// meshlogd hashed `json.dumps(obj, sort_keys=True, separators=(",", ":"))` of the value that
// `json.loads` gave it back. Reproducing those bytes needs what JSON.parse throws away: whether a
// number was written as an int (`1`, arbitrary precision) or a float (`1.0`, `1e5`), so the parser
// here keeps that. The serializer follows CPython: keys sorted by code point, ensure_ascii
// escaping (\uXXXX in lowercase hex, surrogate pairs for astral characters, DEL escaped), floats
// in repr() form (shortest round-trip digits; exponent form below 1e-4 and from 1e16), and
// NaN/Infinity as Python writes them.
import { compareCodePoints } from '../util/code-points';

export { compareCodePoints };

export class PyInt {
  constructor(readonly value: bigint) {}
}

export class PyFloat {
  constructor(readonly value: number) {}
}

/** A JSON object as Python's dict holds it: insertion order, the last duplicate key wins. */
export class PyDict {
  readonly entries = new Map<string, PyValue>();
}

export type PyValue = null | boolean | string | PyInt | PyFloat | PyValue[] | PyDict;

export class PyJsonError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'PyJsonError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const MAX_DEPTH = 64;

/** json.loads for one document (strict: no control characters inside strings). */
export function pyLoads(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new PyJsonError(`${what} at column ${i + 1}`, i);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string, v: PyValue): PyValue => {
    if (!text.startsWith(word, i)) fail('unexpected characters');
    i += word.length;
    return v;
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c !== 0x5c) {
        const end = nextSpecial(text, i);
        out += text.slice(i, end);
        i = end;
        continue;
      }
      const e = text[i + 1];
      i += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          i -= 2;
          fail('bad escape');
      }
    }
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const d = new PyDict();
      ws();
      if (text[i] === '}') {
        i++;
        return d;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        d.entries.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return d;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const a: PyValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return a;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (c === 'n') return literal('null', null);
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'N') return literal('NaN', new PyFloat(NaN));
    if (c === 'I') return literal('Infinity', new PyFloat(Infinity));
    if (c === '-' && text.startsWith('-Infinity', i)) return literal('-Infinity', new PyFloat(-Infinity));
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('expected a value');
    i += m[0].length;
    return m[1] !== undefined || m[2] !== undefined ? new PyFloat(Number(m[0])) : new PyInt(BigInt(m[0]));
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('extra data after the value');
  return v;
}

function nextSpecial(s: string, from: number): number {
  let j = from;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x22 || c === 0x5c || c < 0x20) break;
    j++;
  }
  return j;
}

/** repr() of a Python float. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() with no argument gives the shortest digits that round-trip, as repr does.
  const [mant, expPart] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expPart);
  const decpt = exp + 1; // value = 0.DIGITS x 10^decpt
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt < digits.length) return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A string as json.dumps(ensure_ascii=True) writes it, quotes included. */
export function pyStringRepr(s: string): string {
  let out = '"';
  for (let k = 0; k < s.length; k++) {
    const ch = s[k]!;
    const c = s.charCodeAt(k);
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** json.dumps(v, sort_keys=True, separators=(",", ":")): the bytes meshlogd hashed. */
export function pyDumpsSorted(v: PyValue): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return pyStringRepr(v);
  if (v instanceof PyInt) return v.value.toString();
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (Array.isArray(v)) return `[${v.map(pyDumpsSorted).join(',')}]`;
  const keys = [...v.entries.keys()].sort(compareCodePoints);
  return `{${keys.map((k) => `${pyStringRepr(k)}:${pyDumpsSorted(v.entries.get(k)!)}`).join(',')}}`;
}
