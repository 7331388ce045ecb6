import type { Screen } from '../../app/screens';
import { ContainersIcon } from '../../ui/icons';
import { ContainerPage } from './ContainerPage';
import { ContainersPage } from './ContainersPage';
import { RunPage } from './RunPage';

export const containerScreens: Screen[] = [
  { path: '/containers', title: 'Containers', component: ContainersPage, nav: { label: 'Containers', icon: ContainersIcon, order: 20 } },
  // before /containers/:id, which would match "new" too
  { path: '/containers/new', title: 'Run a container', component: RunPage },
  { path: '/containers/:id', title: 'Container', component: ContainerPage },
];
