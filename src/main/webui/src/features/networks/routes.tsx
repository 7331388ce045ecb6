import type { Screen } from '../../app/screens';
import { NetworksIcon } from '../../ui/icons';
import { PlannedScreen } from '../../ui/PlannedScreen';

function NetworksPage() {
  return (
    <PlannedScreen
      title="Networks"
      description="Bridge networks that connect containers to each other and to published ports on this machine."
      apiPrefix="/api/networks"
      capabilities={[
        'list networks with their subnet, gateway and connected containers',
        'create and remove user networks so containers can reach each other by name',
      ]}
    />
  );
}

export const networkScreens: Screen[] = [
  { path: '/networks', title: 'Networks', component: NetworksPage, nav: { label: 'Networks', icon: NetworksIcon, order: 40 } },
];
