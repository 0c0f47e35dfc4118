export { createApp } from './app.ts';
export { startServer, type ServeOptions } from './server.ts';
export { openApiDocument } from './openapi.ts';
export { loadTokenFile, tokensPath, ROLES, type Role } from './auth.ts';
