#!/usr/bin/env bash
# The kubeadm PKI tree made with the openssl CLI: 3 CAs, 7 leaves and the service-account
# key, one command after another. Usage: openssl.sh DIR rsa|ecdsa
set -euo pipefail
dir=$1; algo=$2
mkdir -p "$dir/etcd"; cd "$dir"
genkey() { # file
  if [ "$algo" = rsa ]; then openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
  else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; fi
}
ca() { # name cn
  genkey "$1.key"
  openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 3650 -out "$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" 2>/dev/null
}
leaf() { # name ca eku subj sans
  genkey "$1.key"
  local ext="$1.ext"
  { echo "basicConstraints=critical,CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"; echo "extendedKeyUsage=$3"
    echo "authorityKeyIdentifier=keyid"; [ -n "$5" ] && echo "subjectAltName=$5"; } > "$ext"
  openssl req -new -key "$1.key" -subj "$4" 2>/dev/null | openssl x509 -req -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 365 -extfile "$ext" -out "$1.crt" 2>/dev/null
}
ca ca kubernetes
leaf apiserver ca serverAuth "/CN=kube-apiserver" "DNS:bench,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:127.0.0.1"
leaf apiserver-kubelet-client ca clientAuth "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" ""
ca front-proxy-ca front-proxy-ca
leaf front-proxy-client front-proxy-ca clientAuth "/CN=front-proxy-client" ""
ca etcd/ca etcd-ca
leaf etcd/server etcd/ca serverAuth,clientAuth "/CN=bench" "DNS:bench,DNS:localhost,IP:127.0.0.1,IP:::1"
leaf etcd/peer etcd/ca serverAuth,clientAuth "/CN=bench" "DNS:bench,DNS:localhost,IP:127.0.0.1,IP:::1"
leaf etcd/healthcheck-client etcd/ca clientAuth "/CN=kube-etcd-healthcheck-client" ""
leaf apiserver-etcd-client etcd/ca clientAuth "/CN=kube-apiserver-etcd-client" ""
genkey sa.key
openssl pkey -in sa.key -pubout -out sa.pub
