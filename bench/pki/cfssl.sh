#!/usr/bin/env bash
# The kubeadm PKI tree made with cfssl/cfssljson: 3 CAs, 7 leaves and the service-account
# key, one command after another as a provisioning script would. Usage: cfssl.sh DIR rsa|ecdsa
set -euo pipefail
dir=$1; algo=$2
if [ "$algo" = rsa ]; then key='{"algo":"rsa","size":2048}'; else key='{"algo":"ecdsa","size":256}'; fi
mkdir -p "$dir/etcd"; cd "$dir"
cat > config.json <<'J'
{"signing":{"default":{"expiry":"8760h"},"profiles":{
 "server":{"expiry":"8760h","usages":["digital signature","key encipherment","server auth"]},
 "client":{"expiry":"8760h","usages":["digital signature","key encipherment","client auth"]},
 "peer":{"expiry":"8760h","usages":["digital signature","key encipherment","server auth","client auth"]}}}}
J
ca() { # name cn
  echo "{\"CN\":\"$2\",\"key\":$key,\"ca\":{\"expiry\":\"87600h\"}}" | cfssl gencert -initca - 2>/dev/null | cfssljson -bare "$1"
}
leaf() { # name ca profile cn o hosts
  local o=""; [ -n "$5" ] && o=",\"names\":[{\"O\":\"$5\"}]"
  echo "{\"CN\":\"$4\",\"key\":$key$o}" | cfssl gencert -ca "$2.pem" -ca-key "$2-key.pem" -config config.json -profile "$3" -hostname "$6" - 2>/dev/null | cfssljson -bare "$1"
}
ca ca kubernetes
leaf apiserver ca server kube-apiserver "" "bench,kubernetes,kubernetes.default,kubernetes.default.svc,kubernetes.default.svc.cluster.local,10.96.0.1,127.0.0.1"
leaf apiserver-kubelet-client ca client kube-apiserver-kubelet-client kubeadm:cluster-admins ""
ca front-proxy-ca front-proxy-ca
leaf front-proxy-client front-proxy-ca client front-proxy-client "" ""
ca etcd/ca etcd-ca
leaf etcd/server etcd/ca peer bench "" "bench,localhost,127.0.0.1,::1"
leaf etcd/peer etcd/ca peer bench "" "bench,localhost,127.0.0.1,::1"
leaf etcd/healthcheck-client etcd/ca client kube-etcd-healthcheck-client "" ""
leaf apiserver-etcd-client etcd/ca client kube-apiserver-etcd-client "" ""
echo "{\"CN\":\"sa\",\"key\":$key}" | cfssl genkey - 2>/dev/null | cfssljson -bare sa
