/** Icons of the container actions (same stroke style as ui/icons). */
import type { JSX } from 'preact';

function icon(paths: JSX.Element) {
  return () => (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round"
      stroke-linejoin="round" aria-hidden="true" focusable="false">
      {paths}
    </svg>
  );
}

export const StartIcon = icon(<path d="M8 5v14l11-7z" />);
export const StopIcon = icon(<rect x="6" y="6" width="12" height="12" rx="1.5" />);
export const RestartIcon = icon(<><path d="M20 11a8 8 0 10-2.3 5.7" /><path d="M20 4v7h-7" /></>);
export const PauseIcon = icon(<><path d="M9 5v14M15 5v14" /></>);
export const RemoveIcon = icon(<><path d="M4 7h16M10 11v6M14 11v6" /><path d="M6 7l1 13h10l1-13M9 7V4h6v3" /></>);
