import { api } from '../../lib/api';

export type NetworkMember = { containerId: string; name: string; ip: string; aliases: string[] | null };

export type Network = {
  id: string;
  name: string;
  driver: string;
  bridge: string;
  subnet: string;
  gateway: string;
  builtin: boolean;
  created: string;
  containers: NetworkMember[];
  owner?: string | null;
  labels?: Record<string, string> | null;
};

export const networksApi = {
  list: () => api.get<Network[]>('api/networks'),
  inspect: (id: string) => api.get<Network>(`api/networks/${encodeURIComponent(id)}`),
  create: (body: { name: string; subnet?: string }) => api.post<Network>('api/networks', body),
  remove: (id: string) => api.delete<void>(`api/networks/${encodeURIComponent(id)}`),
};

export function ownerOf(item: { owner?: string | null; labels?: Record<string, string> | null }): string | null {
  return item.owner ?? item.labels?.['dev.berth.owner'] ?? null;
}
