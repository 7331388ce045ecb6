/** A screen of the console: an app path, its component, and (optionally) its navigation entry. */
import type { FunctionComponent } from 'preact';

export type Screen = {
  /** App path pattern, e.g. "/images" or "/images/:id". */
  path: string;
  title: string;
  component: FunctionComponent<{ params: Record<string, string> }>;
  adminOnly?: boolean;
  nav?: { label: string; icon: FunctionComponent<{ class?: string }>; order: number; matchPrefix?: string };
};
