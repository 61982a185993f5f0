// The build and prune stages of deploy/build-service.sh (and of the Dockerfile): see there.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const [service, outArg] = process.argv.slice(2);
if (!service || !outArg || !/^[a-z][a-z0-9-]*$/.test(service)) {
  console.error('usage: build-service.mjs <service> <outdir>');
  process.exit(2);
}
const out = path.resolve(outArg);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const rootPackage = readJson(path.join(root, 'package.json'));

// Workspace folders by package name (@medspa/db -> libs/db).
const workspaces = new Map();
for (const pattern of rootPackage.workspaces) {
  const parent = path.join(root, pattern.replace(/\/\*$/, ''));
  const dirs = pattern.endsWith('/*') ? readdirSync(parent).map((d) => path.join(parent, d)) : [parent];
  for (const dir of dirs) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) workspaces.set(readJson(file).name, path.relative(root, dir));
  }
}

// The service and, transitively, the workspace packages it depends on at run time.
const serviceDir = `services/${service}`;
if (!existsSync(path.join(root, serviceDir, 'package.json'))) throw new Error(`no service ${service}`);
const needed = new Set([serviceDir]);
const pending = [serviceDir];
while (pending.length > 0) {
  const dir = pending.pop();
  for (const dep of Object.keys(readJson(path.join(root, dir, 'package.json')).dependencies ?? {})) {
    const ws = workspaces.get(dep);
    if (ws !== undefined && !needed.has(ws)) {
      needed.add(ws);
      pending.push(ws);
    }
  }
}

// Test code and fixtures never ship (generated contracts are all kept: gen/ has a `testing` package).
const skipped = (rel) =>
  /\.spec\.ts$/.test(rel) ||
  rel.endsWith('.d.ts') ||
  (!rel.startsWith('src/gen/') && /(^|\/)(testing|test-support|node_modules|bench)(\/|$)/.test(rel));

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let transpiled = 0;
for (const ws of needed) {
  for (const folder of ['src', 'migrations']) {
    const from = path.join(root, ws, folder);
    if (!existsSync(from)) continue;
    for (const file of walk(from)) {
      const rel = path.relative(root, file);
      if (skipped(path.relative(path.join(root, ws), file))) continue;
      const target = path.join(out, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      if (file.endsWith('.ts')) {
        // Per-file transpile is exact here: the code is isolatedModules + verbatimModuleSyntax, and
        // `make typecheck` (tsc) checks the types.
        const { code } = await transform(readFileSync(file, 'utf8'), {
          loader: 'ts',
          format: 'esm',
          target: 'node20',
          sourcefile: rel,
          sourcemap: 'inline',
        });
        writeFileSync(target.replace(/\.ts$/, '.js'), code);
        transpiled++;
      } else {
        cpSync(file, target);
      }
    }
  }
  // The package manifest, its exports pointing at the JavaScript.
  const manifest = readJson(path.join(root, ws, 'package.json'));
  const toJs = (value) =>
    typeof value === 'string'
      ? value.replace(/\.ts$/, '.js')
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJs(v)]));
  if (manifest.exports !== undefined) manifest.exports = toJs(manifest.exports);
  delete manifest.devDependencies;
  delete manifest.scripts;
  writeFileSync(path.join(out, ws, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
// grpc.reflection describes the API from the .proto sources.
cpSync(path.join(root, 'proto'), path.join(out, 'proto'), {
  recursive: true,
  filter: (src) => !src.endsWith('.yaml'),
});
writeFileSync(
  path.join(out, 'main.js'),
  `// ${service}: node main.js serve|migrate|rebuild\nimport './${serviceDir}/src/main.js';\n`,
);

// Prune: production dependencies of exactly these workspaces, from the lockfile, scripts per allowScripts.
const pkg = { ...rootPackage, workspaces: [...needed].sort() };
delete pkg.devDependencies;
delete pkg.scripts;
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
cpSync(path.join(root, 'package-lock.json'), path.join(out, 'package-lock.json'));
execFileSync(
  'npm',
  ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--install-links=false'],
  {
    cwd: out,
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
rmSync(path.join(out, 'package-lock.json'));
console.error(`${service}: ${transpiled} modules from ${[...needed].sort().join(', ')} -> ${out}`);
