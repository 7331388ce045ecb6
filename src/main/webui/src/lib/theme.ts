/**
 * Light/dark theme. Without a stored choice the system preference applies (CSS media query);
 * the toggle stores an explicit choice in localStorage and sets <html data-theme>.
 */
import { useEffect, useState } from 'preact/hooks';

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'berth.theme';
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<(theme: Theme) => void>();

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

export function effectiveTheme(): Theme {
  return storedTheme() ?? (systemDark.matches ? 'dark' : 'light');
}

/** Applies the stored choice (if any) to the document; call once at start. */
export function applyStoredTheme(): void {
  const stored = storedTheme();
  if (stored) document.documentElement.dataset.theme = stored;
  else delete document.documentElement.dataset.theme;
  systemDark.addEventListener('change', () => listeners.forEach((l) => l(effectiveTheme())));
}

export function setTheme(theme: Theme): void {
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // storage unavailable (private mode): the choice lasts for this page only
  }
  document.documentElement.dataset.theme = theme;
  listeners.forEach((listener) => listener(theme));
}

export function useTheme(): Theme {
  const [theme, setValue] = useState(effectiveTheme());
  useEffect(() => {
    listeners.add(setValue);
    return () => {
      listeners.delete(setValue);
    };
  }, []);
  return theme;
}
