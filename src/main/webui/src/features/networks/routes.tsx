import '../../styles/screens-admin.css';
import type { Screen } from '../../app/screens';
import { NetworksIcon } from '../../ui/icons';
import { NetworkPage } from './NetworkPage';
import { NetworksPage } from './NetworksPage';

export const networkScreens: Screen[] = [
  { path: '/networks', title: 'Networks', component: NetworksPage, nav: { label: 'Networks', icon: NetworksIcon, order: 40 } },
  { path: '/networks/:id', title: 'Network', component: NetworkPage },
];
