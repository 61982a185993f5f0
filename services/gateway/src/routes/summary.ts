import type { Access, Route } from './route.js';

export const ROUTES_START = '<!-- route-table:start (generated from src/routes, see summary.ts) -->';
export const ROUTES_END = '<!-- route-table:end -->';

const who = (access: Access): string => {
  switch (access.kind) {
    case 'public':
      return 'public';
    case 'identity':
      return 'token checked by identity';
    case 'signed-in':
      return 'signed in';
    case 'permission': {
      const permissions = access.permissions.map((p) => `\`${p}\``).join(' or ');
      return access.patients === 'never' ? `${permissions}, staff only` : permissions;
    }
    default: {
      const _exhaustive: never = access;
      return _exhaustive;
    }
  }
};

/** The route table as Markdown, for the README (a unit test keeps the README in step). */
export function renderRouteTableMarkdown(routes: readonly Route[]): string {
  const rows = routes.map(
    (r) => `| ${r.method} | \`${r.path}\` | ${who(r.access)} | ${r.operationId} | ${r.summary} |`,
  );
  return [
    '| method | path | who may call | operation | what it does |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** A document with the text between the route-table markers replaced by the current table. */
export function replaceRouteTable(document: string, routes: readonly Route[]): string {
  const start = document.indexOf(ROUTES_START);
  const end = document.indexOf(ROUTES_END);
  if (start < 0 || end < start) throw new Error('The route table markers are missing');
  const table = renderRouteTableMarkdown(routes);
  return `${document.slice(0, start + ROUTES_START.length)}\n\n${table}\n\n${document.slice(end)}`;
}
