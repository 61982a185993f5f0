// The contracts between services, generated from proto/ by `libs/contracts/generate.sh` into
// ./gen/ (gitignored). This file is committed and only re-exports: ts-proto's outputIndex writes
// one barrel per proto package, so a new .proto needs no edit here. Until generation has run,
// the import below fails to resolve, which is the signal to run `make proto`.
//
// Namespaced by proto package: `medspa.common.v1.Money`, `grpc.health.v1.HealthService`.
// For flat imports of one package use the subpath: `@medspa/contracts/medspa.common.v1`.
export * from './gen/index.js';
export * from './envelope-headers.js';
