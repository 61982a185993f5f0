import { KMSClient } from '@aws-sdk/client-kms';
import { createAwsKms, createLocalFileKms, type Kms } from '@medspa/crypto';
import type { IdentityConfig } from '../config.js';

/** The KMS that wraps the signing keys and the clinics' keys, the KEK's id in it, and its release. */
export interface IdentityKms {
  kms: Kms;
  kekId: string;
  /** Closes the AWS client's connections (nothing to do for local key files). */
  close: () => void;
}

/**
 * AWS KMS in the cluster (KMS_PROVIDER=aws: the KEK is AWS_KMS_KEY_ID, credentials from the pod's
 * IAM role), else the local key files of embedded mode (KMS_KEK_ID under KMS_LOCAL_DIR). The same
 * keys and meaning as patient-record's, so the chart sets one set of names for both.
 */
export function identityKmsFrom(config: IdentityConfig): IdentityKms {
  if (config.KMS_PROVIDER !== 'aws') {
    return {
      kms: createLocalFileKms({ dir: config.KMS_LOCAL_DIR }),
      kekId: config.KMS_KEK_ID,
      close: () => {},
    };
  }
  // The config rules make both required with KMS_PROVIDER=aws; this narrows the types.
  if (config.AWS_KMS_KEY_ID === undefined || config.AWS_REGION === undefined) {
    throw new Error('KMS_PROVIDER=aws needs AWS_KMS_KEY_ID and AWS_REGION');
  }
  const client = new KMSClient({
    region: config.AWS_REGION,
    ...(config.AWS_KMS_ENDPOINT !== undefined ? { endpoint: config.AWS_KMS_ENDPOINT } : {}),
  });
  return { kms: createAwsKms(client), kekId: config.AWS_KMS_KEY_ID, close: () => client.destroy() };
}
