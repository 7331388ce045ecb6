import '../../styles/screens-admin.css';
import type { Screen } from '../../app/screens';
import { navigate } from '../../lib/router';
import { useEffect } from 'preact/hooks';
import { AdminIcon } from '../../ui/icons';
import { AuditPage } from './AuditPage';
import { QuotasPage } from './QuotasPage';
import { SystemPage } from './SystemPage';
import { UsersPage } from './UsersPage';

function AdminIndex() {
  useEffect(() => navigate('/admin/users', { replace: true }), []);
  return null;
}

export const adminScreens: Screen[] = [
  { path: '/admin', title: 'Admin', component: AdminIndex, adminOnly: true, nav: { label: 'Admin', icon: AdminIcon, order: 90, matchPrefix: '/admin' } },
  { path: '/admin/users', title: 'Users', component: UsersPage, adminOnly: true },
  { path: '/admin/system', title: 'System', component: SystemPage, adminOnly: true },
  { path: '/admin/quotas', title: 'Quotas', component: QuotasPage, adminOnly: true },
  { path: '/admin/audit', title: 'Audit', component: AuditPage, adminOnly: true },
];
