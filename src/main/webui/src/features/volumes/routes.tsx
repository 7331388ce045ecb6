import type { Screen } from '../../app/screens';
import { VolumesIcon } from '../../ui/icons';
import { PlannedScreen } from '../../ui/PlannedScreen';

function VolumesPage() {
  return (
    <PlannedScreen
      title="Volumes"
      description="Named volumes: data that outlives the containers that use it."
      apiPrefix="/api/volumes"
      capabilities={[
        'list volumes with their size and the containers mounting them',
        'create and remove volumes, and mount them when running a container',
      ]}
    />
  );
}

export const volumeScreens: Screen[] = [
  { path: '/volumes', title: 'Volumes', component: VolumesPage, nav: { label: 'Volumes', icon: VolumesIcon, order: 50 } },
];
