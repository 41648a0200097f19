// Every top-level `kagg` command, one line each. Each lives in its own file under src/cli/
// and is imported only when it runs, so `kagg cfssljson` does not load the API server.
import type { CliCommand } from './io.ts';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CliCommand>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'up', summary: 'Bring the whole local system up (kagg + sample server)', load: async () => (await import('./up.ts')).upCommand },
  { name: 'down', summary: 'Stop what kagg up started', load: async () => (await import('./up.ts')).downCommand },
  { name: 'serve', summary: 'Serve the Kubernetes API (kube-apiserver flags)', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'sample-apiserver', summary: 'Run the wardle.example.com sample extension API server', load: async () => (await import('./sample-apiserver.ts')).sampleApiserverCommand },
  { name: 'certs', summary: 'The kubeadm control-plane certificate tree (init, check-expiration, renew, verify, tree)', load: async () => (await import('./certs.ts')).certsCommand },
  { name: 'kubeconfig', summary: 'Write a kubeconfig with an embedded client cert (admin, super-admin, controller-manager, scheduler)', load: async () => (await import('./kubeconfig.ts')).kubeconfigCommand },
  { name: 'cfssl', summary: 'cfssl 1.2-compatible gencert, sign, genkey, certinfo and print-defaults', load: async () => (await import('./cfssl.ts')).cfsslCommand },
  { name: 'cfssljson', summary: 'Write cfssl JSON output (cert, key, csr) to files, like cfssljson', load: async () => (await import('./cfssljson.ts')).cfssljsonCommand },
  { name: 'apiserver', summary: 'Edit a kube-apiserver deployment (enable-aggregation)', load: async () => (await import('./apiserver.ts')).apiserverCommand },
  { name: 'doctor', summary: 'Diagnose the aggregation layer setup (flags, certificates, live API server)', load: async () => (await import('./doctor.ts')).doctorCommand },
  { name: 'console', summary: 'Print a login link for the web console at /console/', load: async () => (await import('./console.ts')).consoleCommand },
];
