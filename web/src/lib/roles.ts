// Which roles may use what (api/API.md "Sign-in and roles"; GET /api/openapi.json x-roles). The pages ask only for
// what the signed-in role may see — a request the API would refuse is not made (nor logged by the browser as a
// failed load) — and still show the same role notice if the API answers 403 anyway.

import type { Role } from './session.svelte';

/** /api/customers* and GET /api/segments/{id}/members. */
export const CUSTOMER_ROLES: readonly Role[] = ['analyst', 'marketing', 'admin'];
/** GET /api/segments/{id}/export. */
export const EXPORT_ROLES: readonly Role[] = ['marketing', 'admin'];

export const allowed = (role: Role | undefined, roles: readonly Role[]) => !!role && roles.includes(role);
