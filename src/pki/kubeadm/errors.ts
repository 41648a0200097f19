// The error of the kubeadm tree library: a problem with the files of a cert dir. The
// message names the file(s) and the fix; the CLI prints it as one line.

export class CertTreeError extends Error {
  override readonly name = 'CertTreeError';
}
