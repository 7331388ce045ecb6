/** Every screen of the console. A new feature adds its screens here; navigation is derived from them. */
import { adminScreens } from '../features/admin/routes';
import { classScreens } from '../features/classes/routes';
import { containerScreens } from '../features/containers/routes';
import { homeScreens } from '../features/home/routes';
import { imageScreens } from '../features/images/routes';
import { networkScreens } from '../features/networks/routes';
import { terminalScreens } from '../features/terminals/routes';
import { tokenScreens } from '../features/tokens/routes';
import { volumeScreens } from '../features/volumes/routes';
import { matchPath } from '../lib/router';
import type { Screen } from './screens';

export const screens: Screen[] = [
  ...homeScreens,
  ...imageScreens,
  ...containerScreens,
  ...terminalScreens,
  ...classScreens,
  ...networkScreens,
  ...volumeScreens,
  ...adminScreens,
  ...tokenScreens,
];

export function findScreen(path: string): { screen: Screen; params: Record<string, string> } | null {
  for (const screen of screens) {
    const params = matchPath(screen.path, path);
    if (params) return { screen, params };
  }
  return null;
}

export function navEntries(isAdmin: boolean) {
  return screens
    .filter((screen) => screen.nav && (!screen.adminOnly || isAdmin))
    .sort((a, b) => a.nav!.order - b.nav!.order);
}
