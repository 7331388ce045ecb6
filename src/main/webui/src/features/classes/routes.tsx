import type { Screen } from '../../app/screens';
import { ClassesPage } from './ClassesPage';
import { InstructorPage } from './InstructorPage';

const ClassesIcon = ({ class: className }: { class?: string }) => (
  <svg class={className} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
    <rect x="3" y="4" width="18" height="12" rx="2" /><path d="M8 20h8M12 16v4M7 8l2 2-2 2M11 12h3" />
  </svg>
);

export const classScreens: Screen[] = [
  { path: '/classes', title: 'Classes', component: ClassesPage, nav: { label: 'Classes', icon: ClassesIcon, order: 35, matchPrefix: '/classes' } },
  { path: '/classes/:id', title: 'Class', component: InstructorPage },
];
