// `kube-system/extension-apiserver-authentication`: where kube-apiserver publishes its
// client CA and requestheader settings for extension servers (aggregation.md §6.1). The
// aggregator writes it and the extension SDK reads it, with these names.

export const AUTH_CONFIGMAP = { namespace: 'kube-system', name: 'extension-apiserver-authentication' } as const;

export const AUTH_CONFIGMAP_KEYS = {
  clientCA: 'client-ca-file',
  requestHeaderCA: 'requestheader-client-ca-file',
  allowedNames: 'requestheader-allowed-names',
  usernameHeaders: 'requestheader-username-headers',
  uidHeaders: 'requestheader-uid-headers',
  groupHeaders: 'requestheader-group-headers',
  extraHeadersPrefix: 'requestheader-extra-headers-prefix',
} as const;
