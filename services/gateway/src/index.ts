export { buildGateway, type GatewayDeps } from './app.js';
export { gatewayConfigSchema, loadGatewayConfig, type GatewayConfig } from './config.js';
export { cachedJwks, type Jwk, type JwksSource } from './identity/jwks.js';
