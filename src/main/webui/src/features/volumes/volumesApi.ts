import { api } from '../../lib/api';

export type Volume = {
  name: string;
  driver: string;
  mountpoint: string;
  createdAt: string;
  labels: Record<string, string> | null;
  anonymous: boolean;
  usedBy: string[];
  owner?: string | null;
  sizeBytes?: number | null;
};

type ContainerRow = { id: string; name: string };

export const volumesApi = {
  list: () => api.get<Volume[]>('api/volumes'),
  inspect: (name: string) => api.get<Volume>(`api/volumes/${encodeURIComponent(name)}`),
  create: (body: { name?: string; labels?: Record<string, string> }) => api.post<Volume>('api/volumes', body),
  remove: (name: string, force: boolean) => api.delete<void>(`api/volumes/${encodeURIComponent(name)}${force ? '?force=true' : ''}`),
  /** Bytes of each volume by name (admins only: null for others or when the server can't say). */
  sizes: () => api.get<Record<string, number>>('api/system/df/volumes').catch(() => null),
  /** Container names by id, to show "used by" in words; empty when the list can't be read. */
  containerNames: () =>
    api.get<ContainerRow[]>('api/containers?all=true')
      .then((rows) => Object.fromEntries(rows.map((row) => [row.id, row.name])) as Record<string, string>)
      .catch(() => ({}) as Record<string, string>),
};
