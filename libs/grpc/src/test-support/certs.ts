import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** PEM files of a throwaway CA and the leaf certificates it signed, for TLS tests. */
export interface TestPki {
  dir: string;
  caFile: string;
  /** `certFile` and `keyFile` of a leaf, valid for localhost and 127.0.0.1, server and client auth. */
  leaf(name: string): { certFile: string; keyFile: string };
}

const openssl = (dir: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA (P-256, one day) made with openssl in a new temp directory; leaves are made on demand. */
export function createTestPki(caName = 'medspa-test-ca'): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'medspa-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    dir,
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    `/CN=${caName}`,
  );
  writeFileSync(
    path.join(dir, 'leaf.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  return {
    dir,
    caFile: path.join(dir, 'ca.crt'),
    leaf(name) {
      openssl(dir, 'req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      openssl(
        dir,
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '1',
        '-extfile',
        'leaf.ext',
        '-out',
        `${name}.crt`,
      );
      return { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
    },
  };
}
