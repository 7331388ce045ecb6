import type { Screen } from '../../app/screens';
import { ContainersIcon } from '../../ui/icons';
import { PlannedScreen } from '../../ui/PlannedScreen';

function ContainersPage() {
  return (
    <PlannedScreen
      title="Containers"
      description="Containers running on Berth's own engine: their state, ports, logs and resource use."
      apiPrefix="/api/containers"
      capabilities={[
        'list containers with state, uptime, image, owner and clickable published ports',
        'run a container from a form (command, environment, ports, volumes, network, limits, restart policy) that shows the equivalent docker run command',
        'start, stop, restart, pause and remove containers',
        'follow and search logs, watch live CPU, memory and network charts, and open a shell inside',
      ]}
    />
  );
}

export const containerScreens: Screen[] = [
  { path: '/containers', title: 'Containers', component: ContainersPage, nav: { label: 'Containers', icon: ContainersIcon, order: 20 } },
];
