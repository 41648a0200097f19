// Every top-level `kagg` command, one line each. Each lives in its own file under src/cli/.
import type { CliCommand } from './io.ts';
import { apiserverCommand } from './apiserver.ts';
import { doctorCommand } from './doctor.ts';
import { certsCommand } from './certs.ts';
import { cfsslCommand } from './cfssl.ts';
import { cfssljsonCommand } from './cfssljson.ts';
import { kubeconfigCommand } from './kubeconfig.ts';
import { sampleApiserverCommand } from './sample-apiserver.ts';
import { serveCommand } from './serve.ts';
import { downCommand, upCommand } from './up.ts';

export const COMMANDS: CliCommand[] = [
  apiserverCommand,
  doctorCommand,
  certsCommand,
  cfsslCommand,
  cfssljsonCommand,
  kubeconfigCommand,
  sampleApiserverCommand,
  serveCommand,
  upCommand,
  downCommand,
];
