/** `/terminals/{terminalId}`: one shared terminal with everything around it. */
import { useEffect, useState } from 'preact/hooks';
import { currentQuery, href } from '../../lib/router';
import { PageHeader } from '../../ui/components';
import { containerOf, rememberContainer, shortId, terminalsApi, type ContainerSummary, type TerminalInfo } from './terminalsApi';
import { terminalLabel } from './TerminalsPage';
import { useSessionState, useTerminalSession } from './TerminalView';
import { TerminalWorkspace } from './TerminalWorkspace';
import './terminals.css';

export function TerminalPage({ params }: { params: Record<string, string> }) {
  const terminalId = params.terminalId;
  const container = currentQuery().get('container');
  if (container) rememberContainer(terminalId, container);
  const session = useTerminalSession(terminalId);
  const state = useSessionState(session);
  const [info, setInfo] = useState<TerminalInfo | null>(null);
  const [containers, setContainers] = useState<ContainerSummary[]>([]);

  useEffect(() => {
    terminalsApi.get(terminalId).then(setInfo).catch(() => setInfo(null));
    terminalsApi.containers().then(setContainers).catch(() => setContainers([]));
  }, [terminalId, state?.role]);

  const label = containers.length ? terminalLabel(terminalId, containers, info?.containerId) : shortId(terminalId);
  const you = state?.role === 'owner' ? 'you own it' : state?.role === 'driver' ? 'you can type' : state?.role === 'viewer' ? 'you are watching' : null;
  const containerId = info?.containerId ?? containerOf(terminalId);
  return (
    <div class="page page-wide">
      <PageHeader title={`Terminal · ${label}`} documentTitle={`${label} · Terminal`}
        description={<>
          {info ? <>Owned by <strong>{info.owner}</strong>{you && <> · {you}</>}</> : you}
          {containerId && containers.some((c) => c.id === containerId) && <> · container <a href={href(`/containers/${encodeURIComponent(containerId)}`)}>{label.replace(/ · shell$/, '')}</a></>}
          {' · '}<a href={href(`/terminals?tab=${encodeURIComponent(terminalId)}`)}>All terminals</a>
        </>} />
      <TerminalWorkspace session={session} />
    </div>
  );
}
