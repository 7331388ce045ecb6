/**
 * The join link (with its secret) is answered once, when a class is created or given a new link. The instructor
 * view keeps it for the browser tab (sessionStorage), so a reload still shows it; elsewhere, make a new link.
 */
import type { ClassWithLink } from './classesApi';

const key = (id: number | string) => `berth.class-link.${id}`;

export function rememberLink(created: ClassWithLink): void {
  try {
    sessionStorage.setItem(key(created.classroom.id), created.joinPath);
  } catch {
    // storage disabled: the link shows until the page is left
  }
}

/** The remembered link as an absolute URL under this console's base, or null. */
export function rememberedLink(id: number | string): string | null {
  try {
    const path = sessionStorage.getItem(key(id));
    return path ? new URL(path, document.baseURI).toString() : null;
  } catch {
    return null;
  }
}
