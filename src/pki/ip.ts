// IP address syntax: node:net's isIP, without its IPv6 regular expression, whose first two
// uses cost ~6 ms — a few percent of a whole `kagg certs init` with ECDSA keys. Accepts
// exactly what isIP accepts (ip.test.ts compares them), including an IPv6 zone (`%eth0`).

const V4_PART = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const V4 = new RegExp(`^${V4_PART}(?:\\.${V4_PART}){3}$`);
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const ZONE = /^[0-9a-zA-Z\-.:]+$/;

function isV6(text: string): boolean {
  let value = text;
  const percent = value.indexOf('%');
  if (percent >= 0) {
    if (!ZONE.test(value.slice(percent + 1))) return false;
    value = value.slice(0, percent);
  }
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  const all = groups.flat();
  let count = all.length;
  const tail = groups[groups.length - 1];
  const last = tail[tail.length - 1];
  // an IPv4 tail (::ffff:1.2.3.4) ends the address and fills two groups
  if (last !== undefined && last.includes('.')) {
    if (!V4.test(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** 4, 6, or 0 when `text` is not an IP address (like node:net's isIP). */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (V4.test(text)) return 4;
  if (text.includes(':') && isV6(text)) return 6;
  return 0;
}
