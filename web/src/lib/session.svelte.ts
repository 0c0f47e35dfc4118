// Who is signed in. The API keeps the token in an HTTP-only cookie (POST /api/session), so the page never
// holds it; a 401 from any request puts the dashboard back on the sign-in screen.

export type Role = 'executive' | 'analyst' | 'marketing' | 'admin';
export interface Principal {
  role: Role;
  name: string;
}

class Session {
  /** undefined: not asked yet; null: signed out. */
  principal = $state<Principal | null | undefined>(undefined);
  demo = $state(false);

  async refresh(): Promise<void> {
    const options = await fetch('/api/session/options')
      .then((r) => (r.ok ? (r.json() as Promise<{ demo: boolean; principal: Principal | null }>) : null))
      .catch(() => null);
    this.demo = options?.demo ?? false;
    this.principal = options?.principal ?? null;
  }

  /** Signs in with a token, or (demo server only) a role; resolves with an error message or null. */
  async signIn(credential: { token: string } | { role: Role }): Promise<string | null> {
    const res = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credential) }).catch(() => null);
    if (!res) return 'The API could not be reached. Is the server running?';
    const body = (await res.json().catch(() => null)) as (Principal & { error?: { message?: string } }) | null;
    if (!res.ok) return body?.error?.message ?? `${res.status} ${res.statusText}`;
    this.principal = { role: body!.role, name: body!.name };
    return null;
  }

  async signOut(): Promise<void> {
    await fetch('/api/session', { method: 'DELETE' }).catch(() => null);
    this.principal = null;
  }

  /** Called on a 401 from the API. */
  expired(): void {
    this.principal = null;
  }
}

export const session = new Session();
