import { href, usePath } from '../../lib/router';

const tabs = [
  { path: '/admin/users', label: 'Users' },
  { path: '/admin/system', label: 'System' },
  { path: '/admin/quotas', label: 'Quotas' },
  { path: '/admin/audit', label: 'Audit' },
];

export function AdminTabs() {
  const path = usePath();
  return (
    <nav class="tabs" aria-label="Admin sections">
      {tabs.map((tab) => (
        <a key={tab.path} class="tab" href={href(tab.path)} aria-current={path === tab.path ? 'page' : undefined}>{tab.label}</a>
      ))}
    </nav>
  );
}
