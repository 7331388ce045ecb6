/** Personal API tokens (GET/POST /api/tokens, DELETE /api/tokens/{id}). */
import { api } from '../../lib/api';

export type ApiToken = {
  id: number;
  name: string;
  /** The first characters of the secret, to recognise it (berth_xxxxxx). */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  expired: boolean;
};

/** The answer to a creation: the only time the secret is shown. */
export type CreatedToken = Omit<ApiToken, 'lastUsedAt' | 'expired'> & { token: string };

export const tokensApi = {
  list: () => api.get<ApiToken[]>('api/tokens'),
  create: (name: string, expiresInDays: number | null) =>
    api.post<CreatedToken>('api/tokens', expiresInDays === null ? { name } : { name, expiresInDays }),
  revoke: (id: number) => api.delete<void>(`api/tokens/${encodeURIComponent(String(id))}`),
};
