import '../../styles/screens-admin.css';
import type { Screen } from '../../app/screens';
import { VolumesIcon } from '../../ui/icons';
import { VolumePage } from './VolumePage';
import { VolumesPage } from './VolumesPage';

export const volumeScreens: Screen[] = [
  { path: '/volumes', title: 'Volumes', component: VolumesPage, nav: { label: 'Volumes', icon: VolumesIcon, order: 50 } },
  { path: '/volumes/:name', title: 'Volume', component: VolumePage },
];
