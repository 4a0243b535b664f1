#!/usr/bin/env bash
# Self-signed TLS material for a local test broker (kafka.sh up --tls), made with openssl:
#
#   bash infra/kafka/tls-certs.sh DIR
#
# writes into DIR (created; mode 700):
#   ca.pem, ca.key                 a throw-away CA (RSA 2048, 2 days), the file clients trust (KAFKA_TLS_CA_FILE)
#   broker.pem, broker.key         the broker's certificate for 127.0.0.1 / localhost, signed by the CA
#   broker-keystore.pem            broker.key (unencrypted PKCS#8) + broker.pem + ca.pem: Kafka's PEM keystore
#   client.pem, client.key         a client certificate signed by the CA (mutual TLS: KAFKA_TLS_CERT_FILE/KEY_FILE)
# Nothing here is secret beyond the test run: the keys are generated fresh for every broker instance.
set -euo pipefail

die() {
  printf 'tls-certs.sh: error: %s\n' "$*" >&2
  exit 1
}

(($# == 1)) || die "usage: bash infra/kafka/tls-certs.sh DIR"
command -v openssl >/dev/null 2>&1 || die "openssl not found: install it (Debian: apt-get install -y openssl)"
dir="$1"
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"

ssl() { openssl "$@" 2>>openssl.log || die "openssl $1 failed (see $dir/openssl.log)"; }

ssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=logit-stream test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

sign() { # sign NAME SUBJECT EXTENSIONS
  ssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key"
  ssl req -new -key "$1.key" -out "$1.csr" -subj "$2"
  printf '%s\n' "$3" >"$1.ext"
  ssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" -days 2 -sha256 -extfile "$1.ext"
  rm -f "$1.csr" "$1.ext"
}

sign broker "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth,clientAuth
keyUsage=critical,digitalSignature,keyEncipherment"
sign client "/CN=logit-client" "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature,keyEncipherment"

cat broker.key broker.pem ca.pem >broker-keystore.pem
chmod 600 ./*.key broker-keystore.pem
rm -f ca.srl openssl.log
