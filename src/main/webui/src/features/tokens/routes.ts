import type { Screen } from '../../app/screens';
import { TokensPage } from './TokensPage';

/** Reached from the user menu ("API tokens"); no navigation entry. */
export const tokenScreens: Screen[] = [
  { path: '/account/tokens', title: 'API tokens', component: TokensPage },
];
