import { afterEach, describe, expect, it, vi } from 'vitest';
import { runServiceMain } from './service-main.js';

afterEach(() => vi.restoreAllMocks());

describe('runServiceMain', () => {
  it('runs serve by default and passes the remaining arguments to a named command', async () => {
    const calls: string[] = [];
    const commands = {
      serve: async () => void calls.push('serve'),
      rebuild: async (args: string[]) => void calls.push(`rebuild ${args.join(' ')}`),
    };
    await runServiceMain('scheduling', commands, []);
    await runServiceMain('scheduling', commands, ['rebuild', 'day_calendar']);
    expect(calls).toEqual(['serve', 'rebuild day_calendar']);
  });

  it('exits 2 with the usage on an unknown command and 1 when a command fails', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await runServiceMain('scheduling', { serve: async () => undefined, migrate: async () => undefined }, [
      'nope',
    ]);
    expect(exit).toHaveBeenCalledWith(2);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('serve|migrate');
    await runServiceMain('scheduling', { serve: () => Promise.reject(new Error('db down')) }, ['serve']);
    expect(exit).toHaveBeenLastCalledWith(1);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toContain('db down');
  });
});
