/** Inline SVG icons (stroke style, 24px grid), bundled: no icon font or CDN. */
import type { JSX } from 'preact';

type Props = { class?: string };

function icon(paths: JSX.Element) {
  return ({ class: className }: Props) => (
    <svg class={className} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
      stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
      {paths}
    </svg>
  );
}

export const HomeIcon = icon(<><path d="M3 11l9-7 9 7" /><path d="M5 10v10h14V10" /></>);
export const ImagesIcon = icon(<><path d="M12 3l9 5-9 5-9-5z" /><path d="M3 13l9 5 9-5" /></>);
export const ContainersIcon = icon(<><rect x="3" y="5" width="18" height="14" rx="2" /><path d="M8 5v14M13 5v14M18 5v14" /></>);
export const TerminalsIcon = icon(<><rect x="3" y="4" width="18" height="16" rx="2" /><path d="M7 9l3 3-3 3M12 15h5" /></>);
export const NetworksIcon = icon(<><circle cx="12" cy="5" r="2" /><circle cx="5" cy="19" r="2" /><circle cx="19" cy="19" r="2" /><path d="M12 7v5M12 12l-6 5M12 12l6 5" /></>);
export const VolumesIcon = icon(<><ellipse cx="12" cy="6" rx="8" ry="3" /><path d="M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6" /><path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" /></>);
export const AdminIcon = icon(<><path d="M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z" /><path d="M9 12l2 2 4-4" /></>);
export const SunIcon = icon(<><circle cx="12" cy="12" r="4" /><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" /></>);
export const MoonIcon = icon(<path d="M21 12.8A9 9 0 1111.2 3a7 7 0 009.8 9.8z" />);
export const UserIcon = icon(<><circle cx="12" cy="8" r="4" /><path d="M4 21c0-4 3.6-7 8-7s8 3 8 7" /></>);
export const ChevronIcon = icon(<path d="M6 9l6 6 6-6" />);

export const BrandMark = ({ class: className }: Props) => (
  <svg class={className} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="7" fill="var(--accent)" />
    <path d="M6 19h20l-3 6H9z" fill="var(--accent-text)" />
    <path d="M9 17V10h5v7M15 17V7h5v10M21 17v-5h3v5" fill="none" stroke="var(--accent-text)" stroke-width="2" />
  </svg>
);
