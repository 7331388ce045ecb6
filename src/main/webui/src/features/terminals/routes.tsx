import type { Screen } from '../../app/screens';
import { TerminalsIcon } from '../../ui/icons';
import { TerminalPage } from './TerminalPage';
import { TerminalsPage } from './TerminalsPage';

export const terminalScreens: Screen[] = [
  { path: '/terminals', title: 'Terminals', component: TerminalsPage, nav: { label: 'Terminals', icon: TerminalsIcon, order: 30 } },
  { path: '/terminals/:terminalId', title: 'Terminal', component: TerminalPage },
];
