import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { isOnPath, javaMajorVersion, runToCompletion } from './child-process.js';

const POM = path.join(import.meta.dirname, 'kafka', 'pom.xml');
const COMPLETE_MARKER = '.download-complete';
const INSTALL_HINT = 'apt-get install -y openjdk-17-jre-headless maven';

/** Root of caches kept outside the repo, shared by every checkout on the machine. */
export function medspaCacheDir(): string {
  return process.env.MEDSPA_CACHE_DIR ?? path.join(homedir(), '.cache', 'medspa');
}

/** The broker version pinned in infra/kafka/pom.xml. */
export async function pinnedKafkaVersion(): Promise<string> {
  const pom = await readFile(POM, 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  if (version === undefined) throw new Error(`no <kafka.version> in ${POM}`);
  return version;
}

/** Fails with what to install when the broker's runtime is missing. */
export function assertJavaInstalled(): void {
  const major = javaMajorVersion();
  if (major === undefined) {
    throw new Error(
      `Kafka needs Java 17 or newer, and there is no 'java' on PATH. Install it: ${INSTALL_HINT}`,
    );
  }
  if (major < 17) {
    throw new Error(
      `Kafka 4 needs Java 17 or newer; 'java' on PATH is Java ${major}. Install: ${INSTALL_HINT}`,
    );
  }
}

/**
 * The directory of Kafka's runtime jars, downloading them from Maven Central the first time. Jars are
 * fetched into a private staging directory and renamed into place with a marker inside, so a partial
 * download is never used and concurrent first starts (several checkouts, several test runs) are safe.
 */
export async function ensureKafkaJars(): Promise<{ version: string; libsDir: string }> {
  const version = await pinnedKafkaVersion();
  const versionDir = path.join(medspaCacheDir(), 'kafka', version);
  const libsDir = path.join(versionDir, 'libs');
  if (existsSync(path.join(libsDir, COMPLETE_MARKER))) return { version, libsDir };

  if (!isOnPath('mvn')) {
    throw new Error(
      `Fetching Kafka ${version} jars needs Maven ('mvn' is not on PATH). Install: ${INSTALL_HINT}`,
    );
  }
  const staging = path.join(versionDir, `libs.staging-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  console.log(`Downloading Kafka ${version} jars from Maven Central into ${libsDir} (once per machine)`);
  try {
    await runToCompletion('mvn', [
      '-q',
      '-B',
      '-f',
      POM,
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ]);
    await writeFile(path.join(staging, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    if (existsSync(libsDir) && !existsSync(path.join(libsDir, COMPLETE_MARKER))) {
      await rm(libsDir, { recursive: true, force: true });
    }
    await rename(staging, libsDir).catch((error: unknown) => {
      // Another process finished first; its complete copy is as good as ours.
      if (!existsSync(path.join(libsDir, COMPLETE_MARKER))) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { version, libsDir };
}
