/**
 * The run form's state, and the two things it turns into: the REST create request and the equivalent
 * `docker run` command line (POSIX shell quoting, so it pastes into a terminal as is).
 */
import type { CreateRequest, PortBinding } from './containersApi';

export type EnvRow = { key: string; value: string };
export type PortRow = { hostIp: string; hostPort: string; containerPort: string; protocol: 'tcp' | 'udp' };
export type VolumeRow = { source: string; target: string; readOnly: boolean };
export type RestartName = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export type RunForm = {
  image: string;
  name: string;
  command: string;
  env: EnvRow[];
  ports: PortRow[];
  publishAll: boolean;
  volumes: VolumeRow[];
  network: string;
  memory: string;
  cpus: string;
  pids: string;
  restart: RestartName;
  restartRetries: string;
  tty: boolean;
  interactive: boolean;
  autoRemove: boolean;
};

export const emptyForm = (): RunForm => ({
  image: '', name: '', command: '', env: [], ports: [], publishAll: false, volumes: [], network: '',
  memory: '', cpus: '', pids: '', restart: 'no', restartRetries: '', tty: false, interactive: false, autoRemove: false,
});

/** Form-side errors, keyed like the server's `field` values so both show at the same place. */
export type FieldErrors = Record<string, string>;

/** Splits a command line the way a POSIX shell would (quotes and backslashes; no expansion). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`The command has an unclosed ${quote === '"' ? 'double' : 'single'} quote.`);
  if (inWord) words.push(word);
  return words;
}

/** Quotes one word for a POSIX shell: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_\-.,:/@%+=]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Docker's memory sizes: a number with an optional b, k, m, g or t (case-insensitive; "mb", "MiB" accepted). */
export function parseMemory(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!match) return null;
  return Math.round(Number(match[1]) * UNITS[match[2].toLowerCase()]);
}

function portSpec(p: PortRow): string {
  const proto = p.protocol === 'udp' ? '/udp' : '';
  const host = p.hostPort.trim();
  const ip = p.hostIp.trim();
  if (ip) return `${ip}:${host}:${p.containerPort.trim()}${proto}`;
  return host ? `${host}:${p.containerPort.trim()}${proto}` : `${p.containerPort.trim()}${proto}`;
}

function volumeSpec(v: VolumeRow): string {
  const source = v.source.trim();
  const target = v.target.trim();
  return (source ? `${source}:${target}` : target) + (v.readOnly ? ':ro' : '');
}

const restartSpec = (f: RunForm) =>
  f.restart === 'on-failure' && f.restartRetries.trim() ? `on-failure:${f.restartRetries.trim()}` : f.restart;

/**
 * The `docker run` command for the form as it is now (unparsable parts shown as typed). Short commands stay on one
 * line; longer ones put each option on its own line with a backslash continuation, the way Docker's docs write
 * them, which pastes into a shell just the same.
 */
export function dockerRunLine(f: RunForm): string {
  const head: string[] = ['docker', 'run', '-d'];
  if (f.interactive && f.tty) head.push('-it');
  else if (f.interactive) head.push('-i');
  else if (f.tty) head.push('-t');
  if (f.autoRemove) head.push('--rm');
  if (f.name.trim()) head.push('--name', f.name.trim());
  const options: string[][] = [];
  for (const e of f.env) if (e.key.trim()) options.push(['-e', `${e.key.trim()}=${e.value}`]);
  for (const p of f.ports) if (p.containerPort.trim()) options.push(['-p', portSpec(p)]);
  if (f.publishAll) options.push(['-P']);
  for (const v of f.volumes) if (v.target.trim()) options.push(['-v', volumeSpec(v)]);
  if (f.network.trim()) options.push(['--network', f.network.trim()]);
  if (f.memory.trim()) options.push(['--memory', f.memory.trim()]);
  if (f.cpus.trim()) options.push(['--cpus', f.cpus.trim()]);
  if (f.pids.trim()) options.push(['--pids-limit', f.pids.trim()]);
  if (f.restart !== 'no') options.push(['--restart', restartSpec(f)]);
  let command: string[];
  try {
    command = splitCommand(f.command);
  } catch {
    command = [f.command];
  }
  const tail = [f.image.trim() || 'IMAGE', ...command];
  const lines = [head, ...options, tail].map((words) => words.map(shellQuote).join(' '));
  const oneLine = lines.join(' ');
  return oneLine.length <= 64 ? oneLine : lines.join(' \\\n    ');
}

/** The REST request for the form, or the form-side errors that stop it from being sent. */
export function toRequest(f: RunForm): { request?: CreateRequest; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const request: CreateRequest = { image: f.image.trim() };
  if (!request.image) errors.image = 'Choose an image to run, e.g. busybox:latest (see Images for what is here).';
  if (f.name.trim()) request.name = f.name.trim();
  if (f.command.trim()) {
    try {
      request.cmd = splitCommand(f.command);
    } catch (e) {
      errors.cmd = (e as Error).message;
    }
  }
  const env = f.env.filter((e) => e.key.trim() || e.value);
  env.forEach((e, i) => {
    if (!/^[^=\s]+$/.test(e.key.trim())) errors[`env[${i}]`] = 'A variable needs a name without spaces or "=".';
  });
  if (env.length) request.env = env.map((e) => `${e.key.trim()}=${e.value}`);
  const ports: PortBinding[] = [];
  f.ports.forEach((p, i) => {
    if (!p.containerPort.trim() && !p.hostPort.trim()) return;
    const container = Number(p.containerPort);
    const host = p.hostPort.trim() ? Number(p.hostPort) : 0;
    if (!Number.isInteger(container) || container < 1 || container > 65535) errors[`ports[${i}]`] = 'The container port is a number from 1 to 65535.';
    else if (!Number.isInteger(host) || host < 0 || host > 65535) errors[`ports[${i}]`] = 'The host port is a number from 1 to 65535, or empty to pick a free one.';
    else ports.push({ containerPort: container, protocol: p.protocol, hostIp: p.hostIp.trim(), hostPort: host });
  });
  if (ports.length) request.portBindings = ports;
  if (f.publishAll) request.publishAll = true;
  const volumes = f.volumes.filter((v) => v.source.trim() || v.target.trim());
  volumes.forEach((v, i) => {
    if (!v.target.trim().startsWith('/')) errors[`volumes[${i}]`] = 'The path inside the container must be absolute, e.g. /data.';
  });
  if (volumes.length) request.volumes = volumes.map(volumeSpec);
  if (f.network.trim()) request.networkMode = f.network.trim();
  if (f.memory.trim()) {
    const bytes = parseMemory(f.memory);
    if (bytes === null) errors.memory = 'Write a size like 256m or 1g.';
    else request.memory = bytes;
  }
  if (f.cpus.trim()) {
    const cpus = Number(f.cpus);
    if (!Number.isFinite(cpus) || cpus <= 0) errors.nanoCpus = 'Write a number of CPUs like 0.5 or 2.';
    else request.nanoCpus = Math.round(cpus * 1e9);
  }
  if (f.pids.trim()) {
    const pids = Number(f.pids);
    if (!Number.isInteger(pids) || pids < 1) errors.pidsLimit = 'Write a whole number of processes, e.g. 100.';
    else request.pidsLimit = pids;
  }
  if (f.restart !== 'no') request.restartPolicy = restartSpec(f);
  if (f.tty) request.tty = true;
  if (f.interactive) request.openStdin = true;
  if (f.autoRemove) request.autoRemove = true;
  return Object.keys(errors).length ? { errors } : { request, errors };
}

/**
 * Where a server error belongs in the form: the server names REST fields (`publish`, `portBindings[0].hostPort`,
 * `restartPolicy`...); the form shows them at its own sections.
 */
export function formFieldOf(serverField: string | undefined): string | undefined {
  if (!serverField) return undefined;
  const f = serverField.replace(/^spec\./, '');
  if (/^(portBindings|publish|ports)/.test(f)) {
    const index = /\[(\d+)\]/.exec(f);
    return index ? `ports[${index[1]}]` : 'ports';
  }
  if (/^(volumes|mounts|binds)/.test(f)) return 'volumes';
  if (/^env/.test(f)) return 'env';
  if (/^(cmd|entrypoint)/.test(f)) return 'cmd';
  if (/^(networkMode|network)/.test(f)) return 'network';
  if (/^(memory)/.test(f)) return 'memory';
  if (/^(nanoCpus|cpus)/.test(f)) return 'nanoCpus';
  if (/^(pidsLimit)/.test(f)) return 'pidsLimit';
  if (/^(restartPolicy)/.test(f)) return 'restart';
  if (/^(name)/.test(f)) return 'name';
  if (/^(image)/.test(f)) return 'image';
  return undefined;
}
