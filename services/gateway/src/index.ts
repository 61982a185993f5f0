export { buildGateway, type ApiDeps, type GatewayDeps } from './app.js';
export { createGatewayDeps, createSessionGuard, type GatewayWiring } from './composition.js';
export { gatewayConfigSchema, loadGatewayConfig, type GatewayConfig } from './config.js';
export { cachedJwks, type Jwk, type JwksSource } from './identity/jwks.js';
export { ROUTES } from './routes/index.js';
export type { Access, Route, RouteContext, RouteReply } from './routes/route.js';
export { authenticate, type EdgeAuthDeps, type EdgeCaller } from './session/authenticate.js';
export type { SessionGuard, SessionVerdict } from './session/session-guard.js';
