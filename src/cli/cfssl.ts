// `kagg cfssl <command>`: the cfssl 1.2 commands the aggregator setup uses — gencert,
// sign, genkey, certinfo, print-defaults, version — with cfssl's single-dash flags and output.
import { runCertinfo } from './cfssl-certinfo.ts';
import { runGencert } from './cfssl-gencert.ts';
import { runGenkey, runSign } from './cfssl-sign.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';

export const CFSSL_DEFAULT_CONFIG_TEXT = `{
    "signing": {
        "default": {
            "expiry": "168h"
        },
        "profiles": {
            "www": {
                "expiry": "8760h",
                "usages": [
                    "signing",
                    "key encipherment",
                    "server auth"
                ]
            },
            "client": {
                "expiry": "8760h",
                "usages": [
                    "signing",
                    "key encipherment",
                    "client auth"
                ]
            }
        }
    }
}
`;

export const CFSSL_DEFAULT_CSR_TEXT = `{
    "CN": "example.net",
    "hosts": [
        "example.net",
        "www.example.net"
    ],
    "key": {
        "algo": "ecdsa",
        "size": 256
    },
    "names": [
        {
            "C": "US",
            "ST": "CA",
            "L": "San Francisco"
        }
    ]
}
`;

const DEFAULTS: Record<string, string> = { config: CFSSL_DEFAULT_CONFIG_TEXT, csr: CFSSL_DEFAULT_CSR_TEXT };

const SUBCOMMANDS: Record<string, { summary: string; run(args: string[], io: CliIO): Promise<number> }> = {
  gencert: { summary: 'generate a new key and signed certificate', run: runGencert },
  sign: { summary: 'sign a PEM certificate request with a CA', run: runSign },
  genkey: { summary: 'generate a private key and a certificate request', run: runGenkey },
  certinfo: { summary: 'output certinfo about the given cert or CSR', run: runCertinfo },
  'print-defaults': { summary: 'print default configurations', run: printDefaults },
  version: { summary: 'print the version', run: version },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, c]) => `\t${name.padEnd(15)}${c.summary}`);
  return `Usage:\nAvailable commands:\n${lines.join('\n')}\nTop-level flags:\n\t-h\thelp for a command\n`;
}

async function printDefaults(args: string[], io: CliIO): Promise<number> {
  const which = args.find((a) => !a.startsWith('-'));
  if (!which) throw new CliError('not enough arguments are supplied --- please refer to the usage');
  if (which === 'list') {
    io.stdout.write(`Default configurations are available for:\n${Object.keys(DEFAULTS).map((k) => `\t${k}\n`).join('')}`);
    return 0;
  }
  const text = DEFAULTS[which];
  if (!text) throw new CliError(`unknown default configuration "${which}" (available: ${Object.keys(DEFAULTS).join(', ')})`);
  // cfssl prints the stored text (which ends in a newline) with Println: one empty line follows.
  io.stdout.write(`${text}\n`);
  return 0;
}

async function version(_args: string[], io: CliIO): Promise<number> {
  io.stdout.write(`Version: 1.2.0\nRevision: kagg\nRuntime: node${process.versions.node}\n`);
  return 0;
}

export const cfsslCommand: CliCommand = {
  name: 'cfssl',
  summary: 'cfssl 1.2-compatible gencert, certinfo and print-defaults',
  async run(args, io) {
    const [name, ...rest] = args;
    if (!name || name === '-h' || name === '-help' || name === '--help') {
      io.stderr.write(usage());
      return name ? 0 : 1;
    }
    const sub = SUBCOMMANDS[name];
    if (!sub) throw new CliError(`unknown cfssl command "${name}" (available: ${Object.keys(SUBCOMMANDS).join(', ')})`);
    return sub.run(rest, io);
  },
};
