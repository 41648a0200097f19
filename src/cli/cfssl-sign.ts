// `kagg cfssl sign` (sign an existing PEM CSR from any tool) and `kagg cfssl genkey`
// (a key and CSR, nothing signed), with cfssl's flags and JSON output.
import { cfsslGenkey, cfsslSign } from '../pki/cfssl/gencert.ts';
import { marshalGoJson } from '../pki/cfssl/go-json.ts';
import { boolFlag, intFlag, parseGoFlags, stringFlag } from './cfssl-flags.ts';
import { generate, hostnameFlag, loadCa, loadProfile, loadRequest, writeLog } from './cfssl-gencert.ts';
import { readInput } from './cfssl-input.ts';
import { CliError, type CliIO } from './io.ts';

export const SIGN_USAGE = `Usage of sign:
    kagg cfssl sign -ca cert -ca-key key [-config config] [-profile profile] [-hostname hostname] CSR

Flags:
    -ca, -ca-key, -config, -profile, -hostname, -loglevel as for gencert; CSR is a PEM file ('-' for stdin)
`;

export const GENKEY_USAGE = `Usage of genkey:
    kagg cfssl genkey CSRJSON
`;

const SIGN_FLAGS = { ca: 'string', 'ca-key': 'string', config: 'string', profile: 'string', hostname: 'string', loglevel: 'int', label: 'string' } as const;

export async function runSign(args: string[], io: CliIO): Promise<number> {
  const flags = parseGoFlags(args, SIGN_FLAGS, 'kagg cfssl sign');
  if (flags.help) {
    io.stderr.write(SIGN_USAGE);
    return 0;
  }
  const csrFile = flags.positional[0];
  if (!csrFile) throw new CliError('not enough arguments are supplied --- please refer to the usage');
  const caFile = stringFlag(flags, 'ca');
  const caKeyFile = stringFlag(flags, 'ca-key');
  if (!caFile) throw new CliError('need a CA certificate (provide one with -ca)');
  if (!caKeyFile) throw new CliError('need a CA key (provide one with -ca-key)');
  const hostnames = hostnameFlag(stringFlag(flags, 'hostname'));
  const profile = await loadProfile(io, stringFlag(flags, 'config'), stringFlag(flags, 'profile'));
  const ca = await loadCa(io, caFile, caKeyFile);
  const csrPem = await readInput(io, csrFile);
  const result = await generate(csrFile, () => cfsslSign(csrPem, { ca, profile, hostnames }));
  writeLog(io, result.log, intFlag(flags, 'loglevel', 1));
  io.stdout.write(`${marshalGoJson({ cert: result.cert })}\n`);
  return 0;
}

export async function runGenkey(args: string[], io: CliIO): Promise<number> {
  const flags = parseGoFlags(args, { initca: 'bool', loglevel: 'int' }, 'kagg cfssl genkey');
  if (flags.help) {
    io.stderr.write(GENKEY_USAGE);
    return 0;
  }
  const csrFile = flags.positional[0];
  if (!csrFile) throw new CliError('not enough arguments are supplied --- please refer to the usage');
  if (boolFlag(flags, 'initca')) throw new CliError("genkey -initca: use 'kagg cfssl gencert -initca' instead");
  const req = await loadRequest(io, csrFile);
  const result = await generate(csrFile, () => cfsslGenkey(req));
  writeLog(io, result.log, intFlag(flags, 'loglevel', 1));
  io.stdout.write(`${marshalGoJson({ csr: result.csr, key: result.key })}\n`);
  return 0;
}
