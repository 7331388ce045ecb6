import type { Screen } from '../../app/screens';
import { TerminalsIcon } from '../../ui/icons';
import { PlannedScreen } from '../../ui/PlannedScreen';

function TerminalsPage() {
  return (
    <PlannedScreen
      title="Terminals"
      description="Shared terminals: one shell in a container, watched or driven by several people at once."
      apiPrefix="/api/terminals"
      capabilities={[
        'open terminals in tabs with search, clickable links and copy/paste that works',
        'share a terminal: everyone sees the same screen; see who is here and who is typing',
        'hand control over: viewers request it, the owner grants it',
        'list and replay recordings of past sessions',
      ]}
    />
  );
}

export const terminalScreens: Screen[] = [
  { path: '/terminals', title: 'Terminals', component: TerminalsPage, nav: { label: 'Terminals', icon: TerminalsIcon, order: 30 } },
];
