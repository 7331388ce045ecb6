/** Admin calls on user accounts (GET/POST /api/users, PATCH /api/users/{id}, POST /api/users/{id}/password). */
import { api } from '../../lib/api';
import type { Role } from '../../lib/session';

export type User = {
  id: number | string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  /** Set after an admin reset; the user is asked to choose their own password. */
  mustChangePassword?: boolean;
  createdAt: string;
  lastLoginAt: string | null;
};

export type NewUser = { username: string; displayName: string; password: string; role: Role };

export const usersApi = {
  list: () => api.get<User[]>('api/users'),
  create: (user: NewUser) => api.post<User>('api/users', user),
  update: (id: User['id'], changes: Partial<Pick<User, 'displayName' | 'role' | 'disabled'>>) =>
    api.patch<User>(`api/users/${encodeURIComponent(String(id))}`, changes),
  resetPassword: (id: User['id'], password: string) =>
    api.post<void>(`api/users/${encodeURIComponent(String(id))}/password`, { password }),
};
