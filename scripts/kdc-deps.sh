#!/usr/bin/env bash
# Makes sure the Kerberos tests' outside parts are on this machine: an MIT KDC (krb5-kdc:
# krb5kdc, kdb5_util), its database tool (krb5-admin-server: kadmin.local; its kadmind is never
# started), the client tools (krb5-user: kinit, klist, kdestroy) and the GSS-API runtime library
# (libgssapi-krb5-2: libgssapi_krb5.so.2, which spindle-protocol loads at run time). Installs
# them with apt when missing.
#
# Nothing is configured system-wide: the tests run their own KDC on a loopback port with their
# own KRB5_CONFIG / KRB5_KDC_PROFILE, and stop it when they end. The packages' postinst may
# write /etc/krb5.conf and /etc/krb5kdc/kdc.conf and try to start services; the tests use
# neither. Idempotent; prints nothing on stdout.
set -euo pipefail

log() { echo "kdc-deps: $*" >&2; }

need=()
command -v krb5kdc >/dev/null 2>&1 || [ -x /usr/sbin/krb5kdc ] || need+=(krb5-kdc)
[ -x /usr/sbin/kadmin.local ] || need+=(krb5-admin-server)
command -v kinit >/dev/null 2>&1 || need+=(krb5-user)
ldconfig -p 2>/dev/null | grep -q 'libgssapi_krb5.so.2 ' || need+=(libgssapi-krb5-2)

if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
