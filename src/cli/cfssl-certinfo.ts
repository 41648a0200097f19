// `kagg cfssl certinfo -cert FILE | -csr FILE`: cfssl-certinfo's JSON on stdout. Warns on
// stderr about a leaf named exactly like its issuer (Go then omits the AKI, see pki docs).
import { cfsslCertInfo, cfsslCsrInfoJson, leafNamedLikeIssuer } from '../pki/cfssl/certinfo.ts';
import { marshalGoJson } from '../pki/cfssl/go-json.ts';
import { inspectCertificate, type CertificateInfo } from '../pki/inspect.ts';
import { parseGoFlags, stringFlag } from './cfssl-flags.ts';
import { contentError, displayName, logLine, readInput } from './cfssl-input.ts';
import { CliError, type CliIO } from './io.ts';

export const CERTINFO_USAGE = `Usage of certinfo:
    kagg cfssl certinfo -cert file
    kagg cfssl certinfo -csr file

Flags:
    -cert     certificate file to read ('-' for stdin)
    -csr      certificate request file to read ('-' for stdin)
`;

const FLAGS = { cert: 'string', csr: 'string', domain: 'string', serial: 'string', aki: 'string', db: 'string', loglevel: 'int' } as const;

export async function runCertinfo(args: string[], io: CliIO): Promise<number> {
  const flags = parseGoFlags(args, FLAGS, 'kagg cfssl certinfo');
  if (flags.help) {
    io.stderr.write(CERTINFO_USAGE);
    return 0;
  }
  const certFile = stringFlag(flags, 'cert');
  const csrFile = stringFlag(flags, 'csr');
  if (stringFlag(flags, 'domain')) throw new CliError('-domain is not supported by kagg: fetch the chain yourself (openssl s_client -showcerts) and use -cert');
  if (certFile) {
    const text = await readInput(io, certFile);
    let info: CertificateInfo;
    try {
      info = inspectCertificate(text);
    } catch (err) {
      throw contentError(certFile, err);
    }
    if (leafNamedLikeIssuer(info)) {
      const consequence = info.authorityKeyId
        ? 'it carries an Authority Key Identifier, so the chain verifies, but Go-built tools (cfssl, kubeadm) omit it in this case and OpenSSL then rejects the chain (error 18)'
        : 'it has no Authority Key Identifier, so OpenSSL takes it for a self-signed root and rejects the chain (error 18)';
      io.stderr.write(logLine('WARNING', `${displayName(certFile)}: subject equals issuer (${info.subjectDn}) but the certificate is not self-signed; ${consequence}. Give the leaf its own CN.`));
    }
    io.stdout.write(`${marshalGoJson(cfsslCertInfo(info), '  ')}\n`);
    return 0;
  }
  if (csrFile) {
    const text = await readInput(io, csrFile);
    try {
      io.stdout.write(await cfsslCsrInfoJson(text));
    } catch (err) {
      throw contentError(csrFile, err);
    }
    return 0;
  }
  throw new CliError('Must specify certinfo target through -cert, -csr, or -domain');
}
