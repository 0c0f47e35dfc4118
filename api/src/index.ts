export { createApp } from './app.ts';
export { startServer, type ServeOptions } from './server.ts';
export { openApiDocument } from './openapi.ts';
export { loadTokenFile, tokensPath } from './auth.ts';
